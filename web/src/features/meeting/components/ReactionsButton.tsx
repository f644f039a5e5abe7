import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../../../components';
import { REACTIONS, useConferenceStore } from '../../../conference';
import { useI18n } from '../../../i18n';

/** A disclosure button opening a row of emoji; Escape closes it and returns focus. */
export function ReactionsButton() {
  const { t } = useI18n();
  const store = useConferenceStore();
  const id = useId();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    container.current?.querySelector<HTMLButtonElement>('.reactions-menu button')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      setOpen(false);
      toggle.current?.focus();
    };
    const element = container.current;
    document.addEventListener('pointerdown', onPointerDown);
    element?.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      element?.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  return (
    <div className="reactions-control" ref={container}>
      <button
        ref={toggle}
        type="button"
        className="control"
        data-testid="reactions"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => setOpen((value) => !value)}
      >
        <Icon name="smile" />
        <span className="control__label">{t('controls.reactions')}</span>
      </button>
      <div
        id={`${id}-menu`}
        className="reactions-menu"
        role="group"
        aria-label={t('reaction.menu')}
        hidden={!open}
      >
        {REACTIONS.map(({ emoji, label }) => (
          <button
            key={emoji}
            type="button"
            className="reactions-menu__item"
            data-testid="reaction-option"
            aria-label={t(label)}
            title={t(label)}
            onClick={() => void store.sendReaction(emoji)}
          >
            <span aria-hidden="true">{emoji}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
