import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api';
import { I18nContext, type I18n } from '../../../i18n/context';
import { translate, translatePlural } from '../../../i18n/locale';
import {
  recording,
  recordingFile,
  room,
  stubFetch,
  type RecordedCall,
} from '../../../test/fixtures';
import { RecordingsPage } from './RecordingsPage';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

const french: I18n = {
  locale: 'fr',
  setLocale: () => undefined,
  t: (key, params) => translate('fr', key, params),
  tp: (key, count, params) => translatePlural('fr', key, count, params),
};

async function render(locale: I18n | null = null) {
  const page = <RecordingsPage slug="abc-defg-hij" />;
  await act(async () => {
    root.render(locale ? <I18nContext value={locale}>{page}</I18nContext> : page);
  });
  await settle();
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const byTestId = <T extends HTMLElement = HTMLElement>(id: string, scope: ParentNode = container) =>
  scope.querySelector<T>(`[data-testid="${id}"]`);
const allByTestId = (id: string, scope: ParentNode = container) => [
  ...scope.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`),
];
const click = (element: HTMLElement | null) => act(async () => element?.click());
const text = (element: Element | null | undefined) =>
  element?.textContent?.replace(/\s/gu, ' ') ?? null;
const calledPaths = (calls: readonly RecordedCall[]) => calls.map((c) => `${c.method} ${c.url}`);

const adaCamera = recordingFile();
const adaScreen = recordingFile({
  kind: 'screen',
  start_ms: 600_000,
  end_ms: 660_000,
  url: '/api/v1/recordings/rec1/files/u-ada-screen.webm',
});
const graceMic = recordingFile({
  kind: 'audio',
  identity: 'g-grace',
  name: 'Grace Hopper',
  codec: 'opus',
  end_ms: 5_000,
  status: 'recovered',
  url: '/api/v1/recordings/rec1/files/g-grace-audio.ogg',
});
const finished = recording({ files: [adaCamera, adaScreen, graceMic], transcribe: true });
const failed = recording({
  id: 'rec0',
  status: 'failed',
  error: 'disk full',
  started_at: '2026-03-01T09:00:00Z',
  stopped_at: '2026-03-01T09:00:02Z',
});
const running = recording({
  id: 'rec2',
  status: 'recording',
  started_at: '2026-03-03T09:00:00Z',
  stopped_at: null,
  expires_at: null,
  files: [recordingFile({ end_ms: null, status: 'recording' })],
});

describe('RecordingsPage', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('lists recordings with their status, files, players and downloads', async () => {
    const calls = stubFetch(
      { status: 200, body: { recordings: [running, finished, failed] } },
      { status: 200, body: room() },
    );
    await render();
    expect(calledPaths(calls)).toEqual([
      'GET /api/v1/rooms/abc-defg-hij/recordings',
      'GET /api/v1/rooms/abc-defg-hij',
    ]);
    expect(container.querySelector('h1')?.textContent).toBe('Recordings of “Weekly”');
    expect(document.title).toContain('Recordings of “Weekly”');

    const items = allByTestId('recording-item');
    expect(items.map((i) => i.dataset.status)).toEqual(['recording', 'finished', 'failed']);
    const [live, done, broken] = items as [HTMLElement, HTMLElement, HTMLElement];

    // Running: no player, no download, no delete yet.
    expect(text(byTestId('recording-status', live))).toBe('Recording in progress');
    expect(text(byTestId('recording-file-duration', live))).toBe('Still being recorded');
    expect(byTestId('recording-player', live)).toBeNull();
    expect(byTestId('recording-file-download', live)).toBeNull();
    expect(byTestId('recording-delete', live)).toBeNull();

    expect(done.querySelector('h2')?.textContent).toMatch(/^Recording of March 2, 2026/);
    expect(text(done)).toContain('Video and audio');
    expect(text(done)).toContain('Length: 12 min 34 sec');
    expect(text(done)).toContain('Transcription requested');
    const files = allByTestId('recording-file', done);
    expect(files.map((f) => f.querySelector('h3')?.textContent)).toEqual([
      'Ada Lovelace, camera',
      'Ada Lovelace, shared screen',
      'Grace Hopper, microphone',
    ]);
    const [camera, screen, mic] = files as [HTMLElement, HTMLElement, HTMLElement];
    expect(text(byTestId('recording-file-duration', camera))).toBe('Length: 1 min 5 sec');
    expect(text(screen)).toContain('Starts 10 min after the beginning');
    expect(text(mic)).toContain('Recovered after a server interruption');

    const video = byTestId('recording-player', camera);
    expect(video?.tagName).toBe('VIDEO');
    expect(video?.getAttribute('src')).toBe(adaCamera.url);
    expect(video?.hasAttribute('controls')).toBe(true);
    // The player is named by the file's heading.
    const label = video?.getAttribute('aria-labelledby') ?? '';
    expect(document.getElementById(label)?.textContent).toBe('Ada Lovelace, camera');
    expect(byTestId('recording-player', screen)?.tagName).toBe('VIDEO');
    expect(byTestId('recording-player', mic)?.tagName).toBe('AUDIO');
    expect(byTestId('recording-player', mic)?.getAttribute('src')).toBe(graceMic.url);

    const download = byTestId('recording-file-download', mic);
    expect(download?.getAttribute('href')).toBe(graceMic.url);
    expect(download?.hasAttribute('download')).toBe(true);
    expect(text(download)).toBe('Download Grace Hopper, microphone');

    expect(text(byTestId('recording-status', broken))).toBe('Failed: disk full');
    expect(text(broken)).toContain('No files');
  });

  it('deletes a recording after confirmation and says so', async () => {
    setCsrfToken('c');
    const calls = stubFetch(
      { status: 200, body: { recordings: [finished, failed] } },
      { status: 200, body: room() },
      { status: 204 },
    );
    await render();
    const item = allByTestId('recording-item')[1] ?? null;
    const remove = byTestId('recording-delete', item ?? container);
    expect(text(remove)).toMatch(/^Delete Recording of March 1, 2026/);
    await click(remove);
    expect(byTestId('recording-delete-dialog')?.textContent).toContain(
      'Delete the recording of March 1, 2026',
    );
    await click(byTestId('recording-delete-confirm'));
    await settle();
    expect(calls[2]).toMatchObject({ method: 'DELETE', url: '/api/v1/recordings/rec0' });
    expect(calls[2]?.headers['x-csrf-token']).toBe('c');
    expect(allByTestId('recording-item').map((i) => i.dataset.id)).toEqual(['rec1']);
    expect(byTestId('recordings-status')?.textContent).toBe('Recording deleted.');
  });

  it('keeps the dialog open when the delete is refused', async () => {
    stubFetch(
      { status: 200, body: { recordings: [finished] } },
      { status: 200, body: room() },
      { status: 409, body: { code: 'recording_running', message: 'stop the recording first' } },
    );
    await render();
    await click(byTestId('recording-delete'));
    await click(byTestId('recording-delete-confirm'));
    await settle();
    expect(byTestId('recording-delete-dialog')?.querySelector('[role="alert"]')?.textContent).toBe(
      'That did not work: stop the recording first',
    );
    expect(allByTestId('recording-item')).toHaveLength(1);
  });

  it('shows an empty state, and refreshes on demand', async () => {
    const calls = stubFetch(
      { status: 200, body: { recordings: [] } },
      { status: 404, body: { code: 'room_not_found', message: 'no' } },
      { status: 200, body: { recordings: [finished] } },
    );
    await render();
    // The room's name could not be read: the code stands in.
    expect(container.querySelector('h1')?.textContent).toBe('Recordings of “abc-defg-hij”');
    expect(text(byTestId('recordings-empty'))).toContain('No recordings yet');
    await click(byTestId('recordings-refresh'));
    await settle();
    expect(allByTestId('recording-item')).toHaveLength(1);
    expect(byTestId('recordings-status')?.textContent).toBe('List updated.');
    expect(calls).toHaveLength(3);
  });

  it.each([
    [401, 'unauthenticated', 'recordings-signed-out', 'Sign in to see this room’s recordings.'],
    [403, 'forbidden', 'recordings-refused', 'Only the room’s hosts can see its recordings.'],
    [404, 'room_not_found', 'recordings-refused', 'This room does not exist.'],
    [500, 'internal', 'recordings-error', 'The recordings could not be loaded: internal'],
  ])('explains a %i', async (status, code, testId, message) => {
    stubFetch({ status, body: { code, message: code } });
    await render();
    expect(text(byTestId(testId))).toContain(message);
    expect(byTestId('recordings-list')).toBeNull();
    if (status === 401) {
      expect(byTestId(testId)?.querySelector('a')?.getAttribute('href')).toBe(
        '/login?next=%2Frooms%2Fabc-defg-hij%2Frecordings',
      );
    }
  });

  it('speaks French', async () => {
    stubFetch(
      { status: 200, body: { recordings: [finished] } },
      { status: 200, body: room({ name: 'Hebdo' }) },
    );
    await render(french);
    expect(container.querySelector('h1')?.textContent).toBe('Enregistrements de « Hebdo »');
    const item = byTestId('recording-item') ?? container;
    expect(item.querySelector('h2')?.textContent).toMatch(/^Enregistrement du 2 mars 2026/);
    expect(text(item)).toContain('Durée : 12 min 34 s');
    expect(text(byTestId('recording-status', item))).toBe('Terminé');
    expect(item.querySelector('h3')?.textContent).toBe('Ada Lovelace, caméra');
    expect(text(byTestId('recording-file-download', item))).toBe(
      'Télécharger Ada Lovelace, caméra',
    );
    expect(text(byTestId('recording-delete', item))).toMatch(/^Supprimer/);
  });
});
