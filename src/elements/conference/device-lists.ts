import { html, nothing } from 'lit';
import { EXTRAS_STRINGS } from './conference-strings.js';
import type { DeviceChooserStrings, DeviceKind } from './device-chooser.js';

/**
 * The device chooser's lists (one select per kind that has a device: camera, microphone, and the
 * speaker where the browser can choose one), the devices of `stream` and the speaker `sinkId` selected.
 */
export function renderDeviceLists(
  devices: readonly MediaDeviceInfo[],
  stream: MediaStream | undefined,
  sinkId: string,
  t: (key: keyof DeviceChooserStrings) => string | undefined,
  select: (kind: DeviceKind, deviceId: string) => void,
) {
  // The element's t() has no English for these (EXTRAS_STRINGS stay out of the SDK script): ours is the fallback.
  const say = (key: 'camera' | 'microphone' | 'speaker' | 'defaultDevice') => t(key) ?? EXTRAS_STRINGS[key];
  const current = (kind: 'audio' | 'video') =>
    stream
      ?.getTracks()
      .find((track) => track.kind === kind)
      ?.getSettings().deviceId ?? '';
  const canSink = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  const lists = [
    ['video', 'videoinput', say('camera'), current('video')],
    ['audio', 'audioinput', say('microphone'), current('audio')],
    ...(canSink ? [['speaker', 'audiooutput', say('speaker'), sinkId] as const] : []),
  ] as const;
  const shown = lists.filter(([, type]) => devices.some((d) => d.kind === type && d.deviceId));
  return shown.map(
    ([kind, type, label, selected]) =>
      html`<label
        >${label}
        <select part="device-select" @change=${(e: Event) => select(kind, (e.target as HTMLSelectElement).value)}>
          ${kind === 'speaker' ? html`<option value="">${say('defaultDevice')}</option>` : nothing}
          ${devices
            .filter((d) => d.kind === type && d.deviceId && d.deviceId !== 'default')
            .map(
              (d, i) =>
                html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>
                  ${d.label || `${label} ${i + 1}`}
                </option>`,
            )}
        </select></label
      >`,
  );
}
