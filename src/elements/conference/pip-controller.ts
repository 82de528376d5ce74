import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OoVooError } from '../../sdk/errors.js';
import { OovooErrorEvent } from '../events/index.js';
import type { ExtrasController } from '../extras/extras-controller.js';
import type { ConferenceParticipant } from '../context.js';
import type { PictureInPicture, PipSource } from './picture-in-picture.js';
import { arrange } from './stage.js';

/** Whether this browser can show a call in picture-in-picture at all. */
export const canPictureInPicture = (): boolean =>
  typeof window !== 'undefined' &&
  ('documentPictureInPicture' in window || (typeof document !== 'undefined' && document.pictureInPictureEnabled));

/** What the window shows: what the speaker layout shows large (the share, else the speaker). */
export function pipSource(people: ConferenceParticipant[], speakers: readonly string[], screen: string): PipSource {
  const { main, screen: shared } = arrange(people, { layout: 'speaker', pinned: '', speakers, maxTiles: 1, page: 0 });
  const name = main?.displayName ?? '';
  return { stream: shared ? main?.screen : main?.stream, label: shared ? `${name}: ${screen}` : name };
}

/**
 * The conference's picture-in-picture: opened and closed by the PiP button (its code comes with the
 * extras), and after every update shown what the stage shows large (the share, else the speaker).
 */
export class PipController implements ReactiveController {
  private pip: PictureInPicture | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget & { pictureInPicture: boolean },
    private readonly extras: ExtrasController,
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
    const extras = await this.extras.use();
    if (!extras) return;
    this.pip ??= new extras.PictureInPicture(this.fallback, () => (this.host.pictureInPicture = false));
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
