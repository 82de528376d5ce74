import { html, nothing } from 'lit';
import type { DeviceChooserStrings, DeviceKind, DeviceList } from './device-chooser.js';

/** The device chooser's lists (one select per kind), the device in use selected. */
export function renderDeviceLists(
  lists: readonly DeviceList[],
  devices: readonly MediaDeviceInfo[],
  t: (key: keyof DeviceChooserStrings) => string,
  select: (kind: DeviceKind, deviceId: string) => void,
) {
  return lists.map(
    ([kind, type, label, selected]) =>
      html`<label
        >${label}
        <select part="device-select" @change=${(e: Event) => select(kind, (e.target as HTMLSelectElement).value)}>
          ${kind === 'speaker' ? html`<option value="">${t('defaultDevice')}</option>` : nothing}
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
