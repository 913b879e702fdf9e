import { createRoot } from 'react-dom/client';
import { Designer } from './designer.js';
import '@crm/ui/style.css';
import './designer.css';

createRoot(document.getElementById('root')!).render(<Designer />);
