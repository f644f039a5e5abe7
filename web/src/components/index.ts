export { Brand } from './Brand';
export { Icon, type IconName } from './Icon';
export { LanguageSwitch } from './LanguageSwitch';
export { LightPage } from './LightPage';
export { SkipLink } from './SkipLink';
export { useDocumentTitle } from './useDocumentTitle';
export { initialsOf } from './initials';
