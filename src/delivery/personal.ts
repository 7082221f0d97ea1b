import type { Paper } from '../papers/index.js';
import { type AlertPaperView, type AlertsView, escapeHtml, type MarkedRun, type PaperView } from '../render/index.js';
import { markWords, PaperIndex, type ScoredPaper } from '../search/index.js';
import type { Preferences } from '../subscribers/index.js';

/** Alert matches shown as cards; the rest are counted, with a link to the search page. */
export const alertPapersShown = 10;

/** One reader's digest, as far as it differs from the edition's: shared by everyone with the same preferences. */
export interface Personal {
  /** Their paper list below the alerts; the edition's when absent. */
  papers?: readonly PaperView[];
  /** How many papers at the head of `papers` are on their topics (the digest labels them "On your topics"). */
  onTopic?: number;
  alerts?: AlertsView;
  /** An `alerts` reader with nothing matching today: no mail. */
  nothingToSend?: boolean;
}

const asMarkdown = (runs: readonly MarkedRun[]) => runs.map((run) => (run.hit ? `*${run.text}*` : run.text)).join('');
const asHtml = (runs: readonly MarkedRun[]) => runs.map((run) => (run.hit ? `<strong>${escapeHtml(run.text)}</strong>` : escapeHtml(run.text))).join('');

/**
 * Topics and saved-search alerts over one edition, on one relevance path (BM25 over title,
 * summary and keywords, see search/relevance.ts). The index is built once per edition and each
 * distinct preference set is worked out once: thousands of readers share a handful of them.
 */
export class Personalizer {
  private readonly memo = new Map<string, Personal>();
  private readonly edition: Pool;
  private readonly searched: Pool;

  /**
   * `searchUrl`: the search page for these alerts over the edition's day (or week), where every
   * match is. `searched`: what alerts search, every paper of the day (the edition's own papers
   * when absent); topics order the edition's papers.
   */
  constructor(
    papers: readonly Paper[],
    private readonly views: readonly PaperView[],
    private readonly searchUrl: (queries: readonly string[]) => string = () => '',
    searched?: { papers: readonly Paper[]; views: readonly PaperView[] },
  ) {
    this.edition = new Pool(papers, views);
    this.searched = searched ? new Pool(searched.papers, searched.views) : this.edition;
  }

  /** Whether any of these saved searches finds a paper of the day. */
  matches(alerts: readonly string[]): boolean {
    return this.searched.search(alerts).length > 0;
  }

  private alertsView(alerts: readonly string[], only: boolean): AlertsView | undefined {
    const hits = this.searched.search(alerts);
    if (hits.length === 0) return undefined;
    const papers = hits.slice(0, alertPapersShown).map(({ paper, matched }): AlertPaperView => {
      const stems = new Set(matched);
      const titleRuns = markWords(paper.view.title, stems);
      const everywhere = markWords([paper.title, paper.summary, paper.view.blurb, ...paper.keywords].join(' \n '), stems);
      const words = [...new Set(everywhere.filter((run) => run.hit).map((run) => run.text.toLowerCase()))];
      const blurbRuns = markWords(paper.view.blurb, stems);
      return {
        ...paper.view,
        titleRuns,
        blurbRuns,
        titleHtml: asHtml(titleRuns),
        blurbHtml: asHtml(blurbRuns),
        markedTitle: asMarkdown(titleRuns),
        matchedWords: words.join(', '),
      };
    });
    // Matches past those shown: counted, and found on the search page with these alerts.
    return {
      queries: alerts,
      label: alerts.map((alert) => `“${alert}”`).join(' · '),
      papers,
      more: hits.length - papers.length,
      moreUrl: this.searchUrl(alerts),
      only,
    };
  }

  /** The reader's digest: alert matches first (not repeated below), then papers on their topics, then the rest, cut to their count. */
  personalize(preferences: Preferences): Personal {
    const { topics, maxPapers, frequency, alerts = [] } = preferences;
    const key = JSON.stringify([topics, maxPapers ?? 0, frequency === 'alerts', alerts]);
    let personal = this.memo.get(key);
    if (personal) return personal;
    const alertsView = alerts.length ? this.alertsView(alerts, frequency === 'alerts') : undefined;
    if (frequency === 'alerts') {
      personal = alertsView ? { papers: [], alerts: alertsView } : { papers: [], nothingToSend: true };
    } else {
      const shownAbove = new Set(alertsView?.papers.map((paper) => paper.id));
      const rest = shownAbove.size ? this.views.filter((paper) => !shownAbove.has(paper.id)) : this.views;
      const onTopic = topics.length ? new Set(this.edition.search(topics).map((hit) => hit.paper.view)) : new Set<PaperView>();
      const topical = rest.filter((paper) => onTopic.has(paper));
      const ordered = topical.length ? [...topical, ...rest.filter((paper) => !onTopic.has(paper))] : rest;
      const cut = maxPapers && maxPapers < ordered.length ? ordered.slice(0, maxPapers) : ordered;
      personal = {
        ...(cut === this.views ? {} : { papers: cut }),
        ...(topical.length ? { onTopic: Math.min(topical.length, cut.length) } : {}),
        ...(alertsView ? { alerts: alertsView } : {}),
      };
    }
    this.memo.set(key, personal);
    return personal;
  }
}

/** Papers with their views, indexed once, each set of searches scored once: the audience asks first, the readers' digests after. */
class Pool {
  private index: PaperIndex<Paper & { view: PaperView }> | undefined;
  private readonly searches = new Map<string, ScoredPaper<Paper & { view: PaperView }>[]>();

  constructor(
    private readonly papers: readonly Paper[],
    private readonly views: readonly PaperView[],
  ) {}

  search(queries: readonly string[]) {
    this.index ??= new PaperIndex(this.papers.map((paper, position) => ({ ...paper, view: this.views[position]! })));
    const key = JSON.stringify(queries);
    let hits = this.searches.get(key);
    if (!hits) this.searches.set(key, (hits = this.index.scoreAll(queries)));
    return hits;
  }
}
