// Components
export { HomePage } from './components/HomePage';
