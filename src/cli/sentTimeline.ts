/**
 * Two clocks of a gated stream: the SOURCE timeline (seconds of the WAV file) and the SENT timeline
 * (seconds of the audio that actually went out, which is what the server counts and timestamps).
 * `gateSilence` reports every dropped span; this class maps times between the two clocks.
 */

/** A span dropped by the gate, as `gateSilence`'s `onGate` reports it (seconds). */
export interface DroppedSpan {
  /** Start of the dropped audio on the source timeline. */
  readonly from: number;
  /** End (exclusive) of the dropped audio on the source timeline. */
  readonly to: number;
  /** Where the gap falls on the sent timeline (seconds sent before it). */
  readonly sentBefore: number;
}

/**
 * The mapping between the sent and the source timelines, built from the gate's dropped spans in
 * the order they are reported (which is time order). Without spans both clocks are equal.
 */
export class SentTimeline {
  private readonly spans: DroppedSpan[] = [];

  /** Records a dropped span; spans must come in time order (as `onGate` reports them). */
  add(span: DroppedSpan): void {
    if (!(span.to > span.from)) return;
    this.spans.push(span);
  }

  /** Seconds dropped so far. */
  get droppedSeconds(): number {
    return this.spans.reduce((sum, span) => sum + (span.to - span.from), 0);
  }

  /**
   * A sent time on the source timeline. At a gap's exact position, `'after'` (for the start of
   * something, e.g. a word) lands after the gap, `'before'` (for the end of a window) before it.
   */
  toSource(sent: number, edge: 'before' | 'after' = 'after'): number {
    let source = sent;
    for (const span of this.spans) {
      const passed = edge === 'after' ? span.sentBefore <= sent : span.sentBefore < sent;
      if (!passed) break;
      source += span.to - span.from;
    }
    return source;
  }

  /**
   * A source time on the sent timeline: minus every span that ends at or before it. A time inside
   * a dropped span maps to the gap's position.
   */
  toSent(source: number): number {
    let sent = source;
    for (const span of this.spans) {
      if (span.to <= source) sent -= span.to - span.from;
      else if (span.from < source) return span.sentBefore;
      else break;
    }
    return sent;
  }
}
