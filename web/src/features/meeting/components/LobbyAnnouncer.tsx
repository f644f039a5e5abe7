import type { LobbySnapshot } from '../../moderation';
import { useI18n } from '../../../i18n';

/** Tells hosts' screen readers who just knocked; always in the DOM so changes are announced. */
export function LobbyAnnouncer({ arrivals }: { readonly arrivals: LobbySnapshot['arrivals'] }) {
  const { tp } = useI18n();
  const names = arrivals?.names ?? [];
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="lobby-announcer">
      {names.length > 0 &&
        tp('lobby.knocked', names.length, { name: names[0] ?? '', names: names.join(', ') })}
    </div>
  );
}
