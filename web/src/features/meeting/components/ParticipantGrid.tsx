import { useState } from 'react';
import { gridColumns, paginate, type ParticipantView } from '../../../conference';
import { Pager } from './Pager';
import { ParticipantTile } from './ParticipantTile';

interface ParticipantGridProps {
  readonly participants: readonly ParticipantView[];
  readonly pageSize: number;
  readonly landscape: boolean;
}

/** Everyone in equal tiles, a page at a time. */
export function ParticipantGrid({ participants, pageSize, landscape }: ParticipantGridProps) {
  const [requestedPage, setPage] = useState(0);
  const { items, page, pageCount } = paginate(participants, pageSize, requestedPage);
  const columns = gridColumns(items.length, landscape);
  return (
    <div className="grid-layout">
      <ul
        className="grid"
        data-testid="participant-grid"
        style={{
          gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
          gridTemplateRows: `repeat(${Math.ceil(items.length / columns)}, minmax(0, 1fr))`,
        }}
      >
        {items.map((participant) => (
          <ParticipantTile key={participant.identity} participant={participant} />
        ))}
      </ul>
      <Pager page={page} pageCount={pageCount} onChange={setPage} />
    </div>
  );
}
