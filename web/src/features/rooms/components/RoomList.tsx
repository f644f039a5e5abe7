import { useId } from 'react';
import type { Room } from '../../../api';
import { RoomCard } from './RoomCard';

interface RoomListProps {
  readonly heading: string;
  readonly testId: string;
  readonly rooms: readonly Room[];
  readonly onChanged: (room: Room) => void;
  readonly onDeleted: (slug: string) => void;
}

/** A titled list of room cards ("Upcoming", "Recent"). */
export function RoomList({ heading, testId, rooms, onChanged, onDeleted }: RoomListProps) {
  const id = useId();
  return (
    <section className="room-list" aria-labelledby={id} data-testid={testId}>
      <h3 id={id} className="room-list__heading">
        {heading}
      </h3>
      <ul className="room-list__items">
        {rooms.map((room) => (
          <RoomCard key={room.slug} room={room} onChanged={onChanged} onDeleted={onDeleted} />
        ))}
      </ul>
    </section>
  );
}
