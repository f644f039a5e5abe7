import { errorCode, errorText } from '../../../api';
import type { I18n } from '../../../i18n';

/** Refusals of a start the client explains itself; other errors show the server's message. */
const KNOWN = ['recording_running', 'meeting_not_running'] as const;

/** Why starting (or stopping) a recording failed, in the user's language where we can. */
export function recordingErrorText(error: unknown, t: I18n['t']): string {
  const code = KNOWN.find((known) => known === errorCode(error));
  return code ? t(`recording.error.${code}`) : errorText(error, t('error.network'));
}
