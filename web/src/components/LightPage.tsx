import type { ReactNode } from 'react';
import { AccountMenu } from './AccountMenu';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';
import { SkipLink } from './SkipLink';

/**
 * The frame of every page outside a meeting: skip link, brand, account and language switch,
 * then the page.
 */
export function LightPage({ children }: { children: ReactNode }) {
  return (
    <div className="page page--light">
      <SkipLink />
      <header className="site-header">
        <Brand />
        <div className="site-header__end">
          <AccountMenu />
          <LanguageSwitch />
        </div>
      </header>
      {children}
    </div>
  );
}
