import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Extras } from '../extras/load-extras.js';
import { Settings, icon } from '../icons.js';

export type DeviceKind = 'audio' | 'video' | 'speaker';

/** The strings the chooser shows. */
export interface DeviceChooserStrings {
  devices: string;
  camera: string;
  microphone: string;
  speaker: string;
  defaultDevice: string;
}

/**
 * The camera, microphone and speaker lists of <oovoo-conference>: the devices are listed while a
 * call runs and listed again on `devicechange` (a headset plugged in mid-call).
 */
export class DeviceChooser implements ReactiveController {
  devices: MediaDeviceInfo[] = [];
  /** The chosen speaker (audio output device id); '' for the default. */
  sinkId = '';
  private readonly onDeviceChange = () => void this.refresh();

  constructor(
    private readonly host: ReactiveControllerHost,
    /** True while there is a call whose devices can be switched. */
    private readonly active: () => boolean,
    /** The host's extras once loaded, and how to load them (the lists come with them). */
    private readonly extras: () => Extras | undefined,
    private readonly loadExtras: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
  }

  async refresh(): Promise<void> {
    if (!this.active() || !navigator.mediaDevices?.enumerateDevices) return;
    this.devices = await navigator.mediaDevices.enumerateDevices();
    this.host.requestUpdate();
  }

  /**
   * The chooser, showing the devices of `stream` as selected; `choose` switches one. Nothing when
   * no device is listed.
   */
  render(
    t: (key: keyof DeviceChooserStrings) => string,
    stream: MediaStream | undefined,
    choose: (kind: DeviceKind, deviceId: string) => void,
  ) {
    if (!this.devices.some((d) => d.deviceId)) return nothing;
    // The lists come with the extras, loaded when the chooser first opens.
    const selects = this.extras()?.renderDeviceLists(this.devices, stream, this.sinkId, t, (kind, id) =>
      this.select(kind, id, choose),
    );
    return html`<details
      part="devices"
      @toggle=${(e: Event) => (e.target as HTMLDetailsElement).open && this.loadExtras()}
    >
      <summary part="control devices-button" class="icon-button">
        ${icon(Settings)}<span class="tip">${t('devices')}</span>
      </summary>
      ${selects ? html`<div class="popover">${selects}</div>` : nothing}
    </details>`;
  }

  private select(kind: DeviceKind, deviceId: string, choose: (kind: DeviceKind, deviceId: string) => void): void {
    if (kind === 'speaker') {
      this.sinkId = deviceId;
      this.host.requestUpdate();
    }
    choose(kind, deviceId);
  }
}
