// Angular: CUSTOM_ELEMENTS_SCHEMA lets the template use <oovoo-*>; `[property]` binds the elements'
// properties (or `[attr.kebab-name]` their attributes), `(oovoo-event)` handles their DOM events.
import '@angular/compiler';
import { Component, CUSTOM_ELEMENTS_SCHEMA, provideZonelessChangeDetection, signal } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import 'oovoo-elements/elements/login/login';
import 'oovoo-elements/elements/conference/conference';
import 'oovoo-elements/elements/chat/chat';
import { pageConfig } from '../shared/page-config';

@Component({
  selector: 'oovoo-demo',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Angular</h1>
      <oovoo-login
        [appToken]="config.appToken"
        [userId]="config.userId"
        [displayName]="config.displayName"
        [server]="config.server"
        (oovoo-connect)="add('connected as ' + $any($event).detail.userId)"
        (oovoo-logout)="add('signed out')"
        (oovoo-error)="add('error ' + $any($event).detail.code)"
      >
        <oovoo-conference
          [conferenceId]="config.conferenceId"
          [autojoin]="true"
          (oovoo-join)="add('joined ' + $any($event).detail.conferenceId)"
          (oovoo-participant-join)="onParticipantJoin($any($event))"
          (oovoo-participant-leave)="add($any($event).detail.uid + ' left')"
        >
          <oovoo-chat (oovoo-message)="add('message from ' + $any($event).detail.from)"></oovoo-chat>
        </oovoo-conference>
      </oovoo-login>
      <ul aria-label="Events" data-events>
        @for (line of log(); track $index) {
          <li>{{ line }}</li>
        }
      </ul>
    </main>
  `,
})
class DemoComponent {
  readonly config = pageConfig();
  readonly log = signal<string[]>([]);

  add(line: string): void {
    this.log.update((lines) => [...lines, line]);
  }

  onParticipantJoin(event: CustomEvent<{ uid: string; local: boolean }>): void {
    if (!event.detail.local) this.add(`${event.detail.uid} joined`);
  }
}

bootstrapApplication(DemoComponent, { providers: [provideZonelessChangeDetection()] }).catch((e: unknown) => console.error(e));
