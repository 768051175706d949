// The event stream's health, for the "connection lost" banner. When the stream comes back after a
// loss (server restart, network blip), `reconnects` grows so pages can reload what they show.
import type { Api, ConnectionState } from '../api/client';

export class Connection {
  state = $state<ConnectionState>('connecting');
  reconnects = $state(0);
  private wasLost = false;

  constructor(api: Api) {
    api.onState((s) => this.update(s));
  }

  update(s: ConnectionState): void {
    if (s === 'lost') this.wasLost = true;
    if (s === 'open' && this.wasLost) {
      this.wasLost = false;
      this.reconnects++;
    }
    this.state = s;
  }

  get banner(): string | null {
    return this.state === 'lost' ? 'Connection to Homegrown lost — reconnecting…' : null;
  }
}
