import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../../../api';
import { translate } from '../../../i18n/locale';
import { recordingErrorText } from './recordingErrors';

const t = (key: Parameters<typeof translate>[1]) => translate('en', key);
const refused = (code: string) => new ApiError(409, { code, message: `server: ${code}` });

describe('recordingErrorText', () => {
  it.each([
    [refused('recording_running'), 'A recording is already running in this meeting.'],
    [refused('meeting_not_running'), 'The meeting is not running, so it cannot be recorded.'],
    [refused('forbidden'), 'server: forbidden'],
    [new NetworkError(new TypeError('fetch failed')), 'The server could not be reached.'],
  ])('%s → %s', (error, text) => {
    expect(recordingErrorText(error, t)).toBe(text);
  });
});
