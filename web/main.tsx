import { render } from 'preact';
import { App } from './app';
import { getLang, setLang } from './i18n';
import './styles.css';

setLang(getLang());
render(<App />, document.getElementById('app')!);
