// React 19: custom elements get their attributes as written (`app-token`), properties where the
// element has one, and `on<event-name>` props become DOM event listeners (`onoovoo-connect`).
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'oovoo-elements/elements/login/login';
import 'oovoo-elements/elements/conference/conference';
import 'oovoo-elements/elements/chat/chat';
import { pageConfig } from '../shared/page-config';

const config = pageConfig();

function App() {
  const [log, setLog] = useState([]);
  const add = (line) => setLog((lines) => [...lines, line]);
  return (
    <main>
      <h1>React 19</h1>
      <oovoo-login
        app-token={config.appToken}
        user-id={config.userId}
        display-name={config.displayName}
        server={config.server}
        onoovoo-connect={(e) => add(`connected as ${e.detail.userId}`)}
        onoovoo-logout={() => add('signed out')}
        onoovoo-error={(e) => add(`error ${e.detail.code}`)}
      >
        <oovoo-conference
          conference-id={config.conferenceId}
          autojoin
          onoovoo-join={(e) => add(`joined ${e.detail.conferenceId}`)}
          onoovoo-participant-join={(e) => !e.detail.local && add(`${e.detail.uid} joined`)}
          onoovoo-participant-leave={(e) => add(`${e.detail.uid} left`)}
        >
          <oovoo-chat onoovoo-message={(e) => add(`message from ${e.detail.from}`)}></oovoo-chat>
        </oovoo-conference>
      </oovoo-login>
      <ul aria-label="Events" data-events>
        {log.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </main>
  );
}

// StrictMode mounts twice in development: the elements' idempotent connect/disconnect keep that clean.
createRoot(document.getElementById('app')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
