// A tiny event bus so modules stay independent: the outbox announces changes, the sync
// engine its progress, and the screens and the sync strip listen.

const target = new EventTarget();

export function emit(name, detail = null) {
  target.dispatchEvent(new CustomEvent(name, { detail }));
}

/** Listen to `name`; returns the function that stops listening. */
export function on(name, fn) {
  const handler = (event) => fn(event.detail);
  target.addEventListener(name, handler);
  return () => target.removeEventListener(name, handler);
}
