/**
 * Forms marked data-hold-offline (the test's "finish" and "submit") are not sent into a dead
 * connection, which would leave the learner on the browser's "no internet" page: the submit is held,
 * a message says it will go when the connection is back, and it goes by itself then. Whether the
 * server can be reached is asked of the server (GET /api/health), not of navigator.onLine, which
 * says "online" on a network that leads nowhere.
 */
const RETRY_MS = 5000;

async function reachable(): Promise<boolean> {
  try {
    return (await fetch('/api/health', { cache: 'no-store', credentials: 'same-origin' })).ok;
  } catch {
    return false;
  }
}

export function holdSubmitsWhileOffline(message: HTMLElement): void {
  let checking = false;
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target as HTMLFormElement;
      if (!form.matches('form[data-hold-offline]')) return;
      event.preventDefault();
      if (checking) return;
      checking = true;
      const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
      const send = () => {
        // form.submit() does not carry the pressed button: its name and value go as a hidden field
        if (submitter?.name) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: submitter.name, value: submitter.value }));
        form.submit();
      };
      const attempt = async () => {
        if (await reachable()) {
          message.textContent = '';
          send();
          return;
        }
        message.textContent = message.dataset.text ?? '';
        const retry = () => {
          window.removeEventListener('online', retry);
          clearTimeout(timer);
          void attempt();
        };
        const timer = setTimeout(retry, RETRY_MS);
        window.addEventListener('online', retry);
      };
      void attempt();
    },
    true,
  );
}
