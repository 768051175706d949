// Fan-out of API events to every subscriber (each SSE connection, the Electron window).
import type { ApiEvent } from '#shared/api/events';

export type EventListener = (event: ApiEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit = (event: ApiEvent): void => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed connection) must not stop the others.
      }
    }
  };
}
