import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Icon } from '../../../components';
import { MAX_CHAT_LENGTH, useConference, useConferenceStore } from '../../../conference';
import { useI18n } from '../../../i18n';

/** The meeting chat: a live log of messages and a field; Enter sends. */
export function ChatPanel({ onClose }: { readonly onClose: () => void }) {
  const { t, locale } = useI18n();
  const id = useId();
  const store = useConferenceStore();
  const { messages } = useConference();
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages.length]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const text = draft;
    if (!text.trim()) return;
    setDraft('');
    if (!(await store.sendChat(text))) setDraft(text);
  };

  return (
    <aside
      id="chat-panel"
      className="panel"
      aria-labelledby={`${id}-title`}
      data-testid="chat-panel"
    >
      <div className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          {t('chat.title')}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label={t('chat.close')}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      <div
        className="chat__log"
        ref={log}
        role="log"
        aria-live="polite"
        aria-label={t('chat.messages')}
        tabIndex={0}
      >
        {messages.length === 0 ? (
          <p className="chat__empty">{t('chat.empty')}</p>
        ) : (
          <ol className="chat__list">
            {messages.map((message) => (
              <li
                key={message.id}
                className={`chat__message${message.isLocal ? ' chat__message--local' : ''}`}
                data-testid="chat-message"
                data-identity={message.identity}
              >
                <div className="chat__meta">
                  <span className="chat__sender">
                    {message.isLocal ? t('meeting.you', { name: message.name }) : message.name}
                  </span>
                  <time className="chat__time" dateTime={new Date(message.timestamp).toISOString()}>
                    {time.format(message.timestamp)}
                  </time>
                </div>
                <p className="chat__text">{message.text}</p>
              </li>
            ))}
          </ol>
        )}
      </div>
      <form className="chat__form" onSubmit={(event) => void onSubmit(event)}>
        <label htmlFor={`${id}-input`} className="visually-hidden">
          {t('chat.inputLabel')}
        </label>
        <input
          ref={input}
          id={`${id}-input`}
          className="input chat__input"
          type="text"
          autoComplete="off"
          maxLength={MAX_CHAT_LENGTH}
          placeholder={t('chat.inputLabel')}
          data-testid="chat-input"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button
          type="submit"
          className="button button--primary"
          data-testid="chat-send"
          disabled={!draft.trim()}
        >
          {t('chat.send')}
        </button>
      </form>
    </aside>
  );
}
