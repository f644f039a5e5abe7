import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  readonly title: string;
  /** Escape, or a close button inside: the parent unmounts the dialog. */
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly testId?: string;
  readonly describedBy?: string;
}

/**
 * A modal `<dialog>`, shown with `showModal()` while mounted: the browser traps focus inside,
 * makes the rest of the page inert, and closes it with Escape. Focus starts on the element
 * marked `data-autofocus` (else the browser's choice) and returns to the opener afterwards.
 */
export function Dialog({ title, onClose, children, testId, describedBy }: DialogProps) {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      // The opener may be gone (the dialog removed what it opened from): fall back to the page.
      if (opener?.isConnected) opener.focus();
      else document.querySelector<HTMLElement>('main')?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={describedBy}
      data-testid={testId}
    >
      <h2 id={`${id}-title`} className="dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
