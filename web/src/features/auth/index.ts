// Components
export { LoginPage } from './components/LoginPage';
