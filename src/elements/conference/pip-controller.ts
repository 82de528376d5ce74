import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OoVooError } from '../../sdk/errors.js';
import { OovooErrorEvent } from '../events/index.js';
import { PictureInPicture, type PipSource } from './picture-in-picture.js';

/**
 * The conference's picture-in-picture (with the extras, made on the PiP button's first click): opened
 * and closed by the button, and after every update shown what the stage shows large (the share,
 * else the speaker).
 */
export class PipController implements ReactiveController {
  private pip: PictureInPicture | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget & { pictureInPicture: boolean },
    private readonly source: () => PipSource,
    private readonly fallback: () => HTMLVideoElement | null | undefined,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    this.pip?.show(this.source());
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
    this.pip ??= new PictureInPicture(this.fallback, () => (this.host.pictureInPicture = false));
    try {
      await this.pip.open(this.source());
      this.host.pictureInPicture = true;
    } catch (e) {
      this.host.dispatchEvent(
        new OovooErrorEvent(OoVooError.unspecified(`Picture-in-picture: ${(e as Error).message}`).info),
      );
    }
  }
}
