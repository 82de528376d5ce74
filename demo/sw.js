/* global self */
// The demo's service worker: shows each push (ooVooClient.Push.send, or a message sent while the
// user had no messaging connection) as a notification, and focuses the demo when it is clicked.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const from = typeof data.from === 'string' ? data.from : 'someone';
  const title = data.type === 'message' ? 'Message from ' + from : 'Push from ' + from;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      tag: typeof data.msg_id === 'string' ? data.msg_id : undefined,
      data: data,
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      if (windows.length > 0) return windows[0].focus();
      return self.clients.openWindow('/samples/push.html');
    }),
  );
});
