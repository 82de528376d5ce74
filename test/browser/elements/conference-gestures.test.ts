import { expect, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { waitFor } from '../helpers.js';
import { joined, signedIn, tileOf, uniqueConference, type Person } from './conference-helpers.js';

const part = (person: Person, name: string) =>
  person.conference.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const detailsOf = (person: Person, type: string) => person.events.filter(([t]) => t === type).map(([, d]) => d);

/**
 * A real click (the browser's own input, not element.click()): browsers capture a screen or open
 * picture-in-picture only from a user's gesture (Firefox refuses getDisplayMedia without one).
 */
async function clickAsTheUser(element: HTMLElement): Promise<void> {
  // Coordinates are the viewport's: the second person's bar may lie below it.
  element.scrollIntoView({ block: 'center' });
  const box = element.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
  });
}

async function twoInACall(): Promise<[Person, Person]> {
  const conf = uniqueConference();
  const alice = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
  await joined(alice);
  const bob = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
  await joined(bob);
  await waitFor(() => tileOf(alice.conference, bob.user) && tileOf(bob.conference, alice.user), 'tiles never came');
  return [alice, bob];
}

describe('<oovoo-conference>: hands, reactions, participant panel, pin and layouts', () => {
  it('a hand raised from the bar shows on the other side’s tile and panel, first in the list; lowered again', async function () {
    this.timeout(60_000);
    const [alice, bob] = await twoInACall();

    // Each tile rates its participant's network (loopback: nothing to complain about).
    await waitFor(
      () => ['excellent', 'good'].includes(tileOf(bob.conference, alice.user)?.getAttribute('quality') ?? ''),
      'no network quality on the tile',
      { timeout: 20_000 },
    );
    part(alice, 'hand-button')!.click();
    await waitFor(() => tileOf(bob.conference, alice.user)?.hasAttribute('hand'), 'bob never saw the hand');
    await waitFor(() => alice.conference.hasAttribute('hand-raised'), 'hand-raised never reflected');
    expect(part(alice, 'hand-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part(alice, 'hand-button')!.textContent!.trim()).to.equal('Lower hand');
    // Alice's own event comes with the server's answer, which may reach her after bob got the relay.
    const raisedBy = (person: Person, local: boolean) =>
      detailsOf(person, 'oovoo-hand-change').some(
        (d) => JSON.stringify(d) === JSON.stringify({ uid: alice.user, raised: true, local }),
      );
    await waitFor(() => raisedBy(alice, true), 'alice never had her own oovoo-hand-change');
    await waitFor(() => raisedBy(bob, false), 'bob never had oovoo-hand-change');

    // Bob opens the panel (its code loads on first use): alice is listed first, with her raised hand.
    part(bob, 'participants-button')!.click();
    await waitFor(() => part(bob, 'panel'), 'the panel never opened');
    expect(bob.conference.hasAttribute('participants-open')).to.equal(true);
    const rows = [...bob.conference.shadowRoot!.querySelectorAll<HTMLElement>('[part="participant"]')];
    expect(rows.map((r) => r.dataset['uid'])).to.deep.equal([alice.user, bob.user]);
    expect(rows[0]!.querySelector('[part="participant-states"]')!.getAttribute('aria-label')).to.contain('Hand raised');
    expect(rows[1]!.textContent).to.contain('(You)');
    await expect(bob.conference).to.be.accessible();

    // The attribute is the other way in: removing it lowers the hand for everyone.
    alice.conference.removeAttribute('hand-raised');
    await waitFor(() => !tileOf(bob.conference, alice.user)?.hasAttribute('hand'), 'the hand never went down');
    expect(detailsOf(bob, 'oovoo-hand-change')).to.deep.include({ uid: alice.user, raised: false, local: false });
    part(bob, 'panel-close')!.click();
    await waitFor(() => !part(bob, 'panel'), 'the panel never closed');
  });

  it('a reaction from the picker shows on the sender’s tile on both pages, then fades away', async function () {
    this.timeout(60_000);
    const [alice, bob] = await twoInACall();

    part(bob, 'reactions-button')!.click();
    await waitFor(() => part(bob, 'reaction-picker'), 'the picker never opened');
    expect(part(bob, 'reactions-button')!.getAttribute('aria-expanded')).to.equal('true');
    await expect(bob.conference).to.be.accessible();
    bob.conference.shadowRoot!.querySelector<HTMLElement>('[data-reaction="clap"]')!.click();

    const shown = (person: Person, uid: string) =>
      tileOf(person.conference, uid)?.shadowRoot?.querySelector('[part="reaction"]') ?? null;
    await waitFor(() => shown(alice, bob.user), 'alice never saw the reaction');
    expect(shown(alice, bob.user)!.getAttribute('aria-label')).to.equal('Applause');
    expect(shown(alice, bob.user)!.textContent).to.equal('👏');
    await waitFor(() => shown(bob, 'local'), 'bob never saw his own reaction');
    expect(part(bob, 'reaction-picker')).to.equal(null);
    expect(detailsOf(alice, 'oovoo-reaction')).to.deep.equal([{ uid: bob.user, reaction: 'clap', local: false }]);
    expect(detailsOf(bob, 'oovoo-reaction')).to.deep.equal([{ uid: bob.user, reaction: 'clap', local: true }]);
    await waitFor(() => !shown(alice, bob.user), 'the reaction never faded', { timeout: 10_000 });
  });

  it('pins from a tile: spotlight shows the pinned one large; the grid pages past max-tiles', async function () {
    this.timeout(60_000);
    const [alice, bob] = await twoInACall();
    const el = alice.conference;

    const bobTile = tileOf(el, bob.user)!;
    bobTile.shadowRoot!.querySelector<HTMLElement>('[part="pin-button"]')!.click();
    await waitFor(() => el.getAttribute('pinned') === bob.user, 'pinned never reflected');
    expect(detailsOf(alice, 'oovoo-pin-change')).to.deep.equal([{ uid: bob.user }]);
    await waitFor(() => tileOf(el, bob.user)?.hasAttribute('pinned'), 'the tile never showed the pin');

    el.layout = 'spotlight';
    await el.updateComplete;
    const main = () => el.shadowRoot!.querySelector('[part="main"] oovoo-video-tile');
    expect(main()!.getAttribute('participant')).to.equal(bob.user);
    expect(el.shadowRoot!.querySelector('[part="filmstrip"] oovoo-video-tile')!.getAttribute('participant')).to.equal(
      'local',
    );
    el.pin(alice.user);
    await el.updateComplete;
    expect(main()!.getAttribute('participant')).to.equal('local');

    el.layout = 'grid';
    el.pinned = '';
    el.maxTiles = 1;
    await el.updateComplete;
    const shownTiles = () =>
      [...el.shadowRoot!.querySelectorAll('[part="grid"] oovoo-video-tile')].map((t) => t.getAttribute('participant'));
    expect(shownTiles()).to.deep.equal(['local']);
    expect(part(alice, 'pager')!.textContent).to.contain('1 / 2');
    part(alice, 'page-next')!.click();
    await el.updateComplete;
    expect(shownTiles()).to.deep.equal([bob.user]);
    await expect(el).to.be.accessible();
  });

  it('every new control’s text is replaceable, and the theme is an attribute', async function () {
    this.timeout(60_000);
    const [alice] = await twoInACall();
    const el = alice.conference;
    el.strings = { raiseHand: 'Lever la main', reactions: 'Réactions', participants: 'Participants·es', clap: 'Bravo' };
    await el.updateComplete;
    expect(part(alice, 'hand-button')!.textContent!.trim()).to.equal('Lever la main');
    expect(part(alice, 'reactions-button')!.textContent!.trim()).to.equal('Réactions');
    expect(part(alice, 'participants-button')!.textContent!.trim()).to.equal('Participants·es');
    part(alice, 'reactions-button')!.click();
    await waitFor(() => part(alice, 'reaction-picker'), 'the picker never opened');
    expect(el.shadowRoot!.querySelector('[data-reaction="clap"]')!.textContent!.trim()).to.contain('Bravo');

    expect(el.getAttribute('theme')).to.equal('dark');
    const stage = () => getComputedStyle(part(alice, 'stage')!).backgroundColor;
    const dark = stage();
    el.theme = 'light';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('light');
    expect(stage()).to.not.equal(dark);
    await expect(el).to.be.accessible();
  });
});

describe('<oovoo-conference>: screen share', () => {
  it('the Share button puts the screen on the stage of both pages, the camera beside it; Stop takes it away', async function () {
    this.timeout(60_000);
    const [alice, bob] = await twoInACall();
    const screenTile = (person: Person) =>
      person.conference.shadowRoot!.querySelector<HTMLElement>('[part="main"] oovoo-video-tile[source="screen"]');

    await clickAsTheUser(part(alice, 'share-button')!);
    await waitFor(() => screenTile(bob), 'bob never got the screen on his stage');
    expect(screenTile(bob)!.getAttribute('participant')).to.equal(alice.user);
    await waitFor(
      () => (screenTile(bob)!.shadowRoot!.querySelector('video')?.videoWidth ?? 0) > 0,
      'the screen never played at bob',
      { timeout: 20_000 },
    );
    // The sharer's camera stays beside the share.
    const strip = [...bob.conference.shadowRoot!.querySelectorAll('[part="filmstrip"] oovoo-video-tile')];
    expect(strip.map((t) => t.getAttribute('participant'))).to.include(alice.user);
    await waitFor(() => screenTile(alice), 'alice never saw her own share');
    expect(part(alice, 'share-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part(alice, 'share-button')!.textContent!.trim()).to.equal('Stop sharing');
    await expect(bob.conference).to.be.accessible();

    part(alice, 'share-button')!.click();
    await waitFor(() => !screenTile(bob) && !screenTile(alice), 'the share never left the stage');
    expect(part(alice, 'share-button')!.getAttribute('aria-pressed')).to.equal('false');
  });
});

describe('<oovoo-conference>: picture-in-picture', () => {
  it('the PiP button opens the window on the other participant, it follows a share, and closes', async function () {
    this.timeout(60_000);
    const [alice, bob] = await twoInACall();
    const button = part(alice, 'pip-button')!;
    await clickAsTheUser(button);
    await waitFor(() => alice.conference.hasAttribute('picture-in-picture'), 'picture-in-picture never opened');
    const pipWindow = (window as unknown as { documentPictureInPicture: { window: Window | null } })
      .documentPictureInPicture.window!;
    const shown = () => pipWindow.document.querySelector('video')!.srcObject as MediaStream | null;
    const bobAtAlice = () => alice.conference.conference!.remoteParticipant(bob.user)!;
    await waitFor(() => shown() === bobAtAlice().stream, 'the window never showed bob');
    expect(pipWindow.document.body.textContent).to.contain(bob.user);
    expect(button.getAttribute('aria-pressed')).to.equal('true');

    await clickAsTheUser(part(bob, 'share-button')!);
    await waitFor(() => bobAtAlice().screen && shown() === bobAtAlice().screen, 'the window never followed the share');
    // Alice may see the share before Bob's own page has it as started: until then his button still
    // says Share, and a click would start it again.
    await waitFor(() => part(bob, 'share-button')!.getAttribute('aria-pressed') === 'true', 'bob never saw his share');
    part(bob, 'share-button')!.click();
    await waitFor(() => shown() === bobAtAlice().stream, 'the window never came back to bob');

    button.click();
    await waitFor(() => !alice.conference.hasAttribute('picture-in-picture'), 'picture-in-picture never closed');
    expect(pipWindow.closed).to.equal(true);
  });
});
