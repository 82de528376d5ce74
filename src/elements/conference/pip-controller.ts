import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OoVooError } from '../../sdk/errors.js';
import { OovooErrorEvent } from '../events/index.js';
import { PictureInPicture } from './picture-in-picture.js';
import { pipSource } from './pip-source.js';

/**
 * The conference's picture-in-picture (with the extras, made on the PiP button's first click): opened
 * and closed by the button, and after every update shown what the stage shows large (the share,
 * else the speaker).
 */
export class PipController implements ReactiveController {
  private pip: PictureInPicture | undefined;

  constructor(
    private readonly host: ReactiveControllerHost &
      EventTarget & { pictureInPicture: boolean; readonly renderRoot: HTMLElement | DocumentFragment },
    /** What pipSource() picks from (the people, the speakers, the word for a screen): it comes with the extras. */
    private readonly view: () => Readonly<Parameters<typeof pipSource>>,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    this.pip?.show(pipSource(...this.view()));
  }

  hostDisconnected(): void {
    this.pip?.close();
  }

  /** Opens the window (from the click that asked) or closes it. */
  async toggle(): Promise<void> {
    if (this.pip?.isOpen) {
      this.pip.close();
      return;
    }
    // Where there is no Document Picture-in-Picture: the hidden video of the conference's shadow DOM.
    const fallback = () => this.host.renderRoot.querySelector<HTMLVideoElement>('[part="pip-video"]');
    this.pip ??= new PictureInPicture(fallback, () => (this.host.pictureInPicture = false));
    try {
      await this.pip.open(pipSource(...this.view()));
      this.host.pictureInPicture = true;
    } catch (e) {
      this.host.dispatchEvent(
        new OovooErrorEvent(OoVooError.unspecified(`Picture-in-picture: ${(e as Error).message}`).info),
      );
    }
  }
}
