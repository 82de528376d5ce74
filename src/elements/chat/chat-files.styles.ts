import { css } from 'lit';

/** The styles of <oovoo-chat>'s files (chat-files.ts adopts them when it loads): thumbnails, uploads, the viewer. */
export default css`
  [part='files'],
  [part='uploads'] {
    list-style: none;
    margin: 0.25rem 0 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
  }
  [part='files'] > li,
  [part='uploads'] > li {
    background: none;
    padding: 0;
    max-width: 100%;
  }
  [part='uploads'] > li {
    flex: 1 1 100%;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  [part='thumbnail'] {
    padding: 0;
    border: 0;
    background: none;
    cursor: zoom-in;
  }
  [part='thumbnail'] img {
    display: block;
    max-width: min(100%, 240px);
    max-height: 10rem;
    border-radius: var(--_radius);
  }
  [part='file-download'] {
    overflow-wrap: anywhere;
  }
  [part='file-size'] {
    font-size: 0.8em;
    color: var(--_muted);
    margin-inline-start: 0.375rem;
  }
  [part='upload-progress'] {
    flex: 1;
    min-width: 6rem;
  }
  [part='upload-error'] {
    color: var(--oovoo-color-danger, light-dark(#b3261e, #ffb4ab));
  }
  [part='drop-hint'] {
    margin: 0;
    padding: 0.5rem;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    text-align: center;
  }
  [part='viewer'] {
    max-width: 95vw;
    max-height: 95vh;
    padding: 0.5rem;
    border: 0;
    border-radius: var(--_radius);
  }
  [part='viewer']::backdrop {
    background: rgb(0 0 0 / 0.7);
  }
  [part='viewer'] img {
    display: block;
    max-width: 90vw;
    max-height: 85vh;
  }
  @media (max-width: 640px), (max-height: 500px) and (pointer: coarse) {
    [part='upload-cancel'],
    [part='upload-dismiss'],
    [part='viewer-close'] {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
  }
`;
