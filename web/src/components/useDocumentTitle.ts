import { useEffect } from 'react';

/** Sets `document.title` to "<title> · Parlons" while the page is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Parlons` : 'Parlons';
  }, [title]);
}
