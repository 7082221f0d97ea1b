import type { EditionFeedback } from './events.js';

/** Gmail and Yahoo's bulk-sender rules: keep spam complaints under 0.1%, never reach 0.3%. */
export const complaintWarningRate = 0.001;
export const complaintLimitRate = 0.003;

export interface FeedbackRates extends EditionFeedback {
  /** Readers who bounced, over messages sent (0 when nothing was sent). */
  bounceRate: number;
  complaintRate: number;
  /** `warning` from 0.1% of complaints, `limit` from 0.3% (mail providers start refusing). */
  complaintFlag: 'ok' | 'warning' | 'limit';
}

export function feedbackRates(feedback: EditionFeedback): FeedbackRates {
  const rate = (n: number) => (feedback.sent > 0 ? n / feedback.sent : 0);
  const complaintRate = rate(feedback.complaints);
  const complaintFlag = complaintRate >= complaintLimitRate ? 'limit' : complaintRate >= complaintWarningRate ? 'warning' : 'ok';
  return { ...feedback, bounceRate: rate(feedback.bounces), complaintRate, complaintFlag };
}

/** A rate as people read it: 0.25%, 12%. */
export const percent = (rate: number) => `${Number((rate * 100).toFixed(rate < 0.01 ? 2 : 1))}%`;
