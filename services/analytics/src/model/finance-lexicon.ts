/**
 * One finance term: a word or a phrase, with its valence on VADER's scale
 * (-4 most negative .. 4 most positive; kept on the 0.1 grid within ±3.4).
 */
export interface FinanceTerm {
  /**
   * Space-separated words, matched case-insensitively against whole words.
   * `a|b|c` lists alternatives for one word (inflections, synonyms); `...`
   * lets up to two other words stand between its neighbours, as in
   * "misses (Wall Street) estimates".
   */
  readonly pattern: string;
  readonly valence: number;
}

const ESTIMATES = "estimates|expectations|forecast|forecasts|consensus|views|street";
const RESULTS = "revenue|sales|earnings|profit|profits|eps|both|top|bottom";
const OUTLOOK = "guidance|outlook|forecast|forecasts";
const RAISE = "raise|raises|raised|raising|lift|lifts|lifted|boost|boosts|boosted|hike|hikes|hiked";
const CUT = "cut|cuts|cutting|lower|lowers|lowered|lowering|slash|slashes|slashed|trim|trims|trimmed";
const DIVIDEND = "dividend|dividends|payout";

/**
 * Finance terms whose sentiment general-purpose VADER misses or gets backwards
 * ("misses estimates", "profit warning", "shares" rated positive, "gross margin"
 * rated negative). Valences are judgement calls in line with VADER's own: a
 * strong word such as "fraud" near -3, an analyst action near ±1.8, a mild
 * price move near ±1. A valence of 0 makes a word neutral where VADER's
 * everyday reading does not apply in finance news.
 */
export const FINANCE_LEXICON: readonly FinanceTerm[] = [
  // Results against expectations.
  {
    pattern: `beat|beats|beating|tops|topped|exceed|exceeds|exceeded|surpass|surpasses|surpassed ... ${ESTIMATES}`,
    valence: 2.0,
  },
  {
    pattern: `miss|misses|missed|missing|trail|trails|trailed|lag|lags|lagged ... ${ESTIMATES}`,
    valence: -2.0,
  },
  { pattern: `beat|beats|tops|topped on ... ${RESULTS}`, valence: 1.8 },
  { pattern: `miss|misses|missed on ... ${RESULTS}`, valence: -1.8 },
  { pattern: "earnings|profit|revenue|sales beat", valence: 1.8 },
  { pattern: "earnings|profit|revenue|sales miss", valence: -1.8 },
  { pattern: "fall|falls|fell|falling|come|comes|came short", valence: -1.8 },
  { pattern: "come|comes|came in below|under|lower|weaker", valence: -1.8 },
  { pattern: "come|comes|came in above|ahead|higher|stronger", valence: 1.8 },
  { pattern: `ahead of ... target|targets|schedule|${ESTIMATES}`, valence: 1.5 },
  { pattern: "better-than-expected|stronger-than-expected", valence: 1.8 },
  { pattern: "worse-than-expected|weaker-than-expected", valence: -1.8 },
  { pattern: "narrow|narrows|narrowed|narrower|narrowing ... loss|losses", valence: 1.5 },
  { pattern: "widen|widens|widened|wider|widening ... loss|losses", valence: -2.0 },
  { pattern: "swing|swings|swung|return|returns|returned to ... profit|profitability", valence: 2.0 },
  { pattern: "swing|swings|swung|slip|slips|slipped to ... loss", valence: -2.0 },
  {
    pattern:
      "record ... revenue|sales|profit|profits|earnings|income|results|output|production|deliveries|orders|high|highs",
    valence: 2.5,
  },
  { pattern: "record ... loss|losses", valence: -2.5 },
  { pattern: "record low|lows", valence: -2.0 },
  { pattern: "all-time|52-week high|highs", valence: 1.8 },
  { pattern: "all-time|52-week low|lows", valence: -1.8 },
  { pattern: "in|into the black", valence: 1.8 },
  { pattern: "in|into the red", valence: -1.8 },

  // Guidance and warnings.
  { pattern: `${RAISE}|ups|upped ... ${OUTLOOK}`, valence: 2.0 },
  { pattern: `${CUT}|withdraw|withdraws|withdrew|suspend|suspends|suspended ... ${OUTLOOK}`, valence: -2.2 },
  { pattern: `${OUTLOOK} cut|cuts|reduction`, valence: -2.2 },
  { pattern: `weak|soft|disappointing|gloomy ${OUTLOOK}`, valence: -2.2 },
  { pattern: "profit|earnings|sales|revenue warning|warnings", valence: -2.3 },
  { pattern: "warns|warned", valence: -1.5 },
  { pattern: "upbeat", valence: 1.5 },
  { pattern: "downbeat", valence: -1.5 },

  // Analysts.
  { pattern: "upgrade|upgrades|upgraded|upgrading", valence: 1.8 },
  { pattern: "downgrade|downgrades|downgraded|downgrading", valence: -1.8 },
  { pattern: "outperform|outperforms|outperformed|outperforming", valence: 1.8 },
  { pattern: "underperform|underperforms|underperformed|underperforming", valence: -1.8 },
  { pattern: "overweight", valence: 1.2 },
  { pattern: "underweight", valence: -1.2 },
  { pattern: `${RAISE} ... price target|targets`, valence: 1.5 },
  { pattern: `${CUT} ... price target|targets`, valence: -1.5 },
  { pattern: "upside", valence: 1.5 },
  { pattern: "downside", valence: -1.5 },
  { pattern: "bullish", valence: 1.5 },
  { pattern: "bearish", valence: -1.5 },

  // Legal and regulatory trouble.
  { pattern: "lawsuit|lawsuits", valence: -1.8 },
  { pattern: "sue|sues|sued|suing", valence: -1.6 },
  { pattern: "class-action|class action", valence: -1.6 },
  { pattern: "probe|probes|probed|probing", valence: -1.6 },
  { pattern: "investigation|investigations", valence: -1.5 },
  { pattern: "investigate|investigates|investigated|investigating", valence: -1.3 },
  { pattern: "subpoena|subpoenas|subpoenaed", valence: -1.6 },
  { pattern: "antitrust", valence: -1.0 },
  { pattern: "fraud|frauds|fraudulent", valence: -3.0 },
  { pattern: "indicted|indicts|indictment", valence: -2.5 },
  { pattern: "charged with", valence: -2.0 },
  { pattern: "infringe|infringes|infringed|infringing|infringement", valence: -1.5 },
  { pattern: "raid|raids|raided", valence: -1.8 },
  { pattern: "under review", valence: -1.0 },
  { pattern: "fined|fines|penalized|penalised", valence: -1.8 },
  { pattern: "fine", valence: -1.5 }, // a penalty; VADER reads "fine" as "good" (+0.8)
  { pattern: "recall|recalls|recalled|recalling", valence: -1.8 },
  { pattern: "contamination|contaminated|impurity|impurities", valence: -1.5 },
  { pattern: "breach|breaches|breached", valence: -1.8 },
  { pattern: "cyberattack|cyberattacks", valence: -2.0 },
  { pattern: "outage|outages", valence: -1.5 },
  { pattern: "halt|halts|halted", valence: -1.2 },
  { pattern: "delist|delists|delisted|delisting", valence: -2.0 },
  { pattern: "restate|restates|restated|restatement|restatements", valence: -1.8 },
  { pattern: "writedown|writedowns|write-down|write-downs|impairment|impairments", valence: -1.6 },

  // Trouble that ends: a case thrown out, a probe closed, a fine or a recall lifted.
  {
    pattern: "dismiss|dismisses|dismissed|dismissing ... lawsuit|lawsuits|suit|suits|claims|case|charges",
    valence: 1.8,
  },
  {
    pattern: "throw|throws|threw|thrown out ... lawsuit|lawsuits|suit|suits|claims|case|charges",
    valence: 1.8,
  },
  {
    pattern:
      "close|closes|closed|drop|drops|dropped|end|ends|ended ... probe|probes|investigation|investigations|inquiry|inquiries",
    valence: 1.5,
  },
  {
    pattern:
      "overturn|overturns|overturned|cancel|cancels|cancelled|canceled|halve|halves|halved ... fine|fines|penalty|penalties",
    valence: 1.5,
  },
  { pattern: "lift|lifts|lifted|end|ends|ended|ending ... recall|recalls", valence: 1.5 },
  { pattern: "clears|cleared|clearing|clearance", valence: 1.5 },

  // Jobs.
  { pattern: "layoff|layoffs", valence: -2.0 },
  { pattern: "lay|lays|laid off", valence: -2.0 },
  { pattern: "job|jobs|staff|workforce cuts|cut|reduction|reductions", valence: -2.0 },
  {
    pattern: `${CUT}|eliminate|eliminates|eliminated|shed|sheds ... jobs|workers|staff|workforce|positions|employees`,
    valence: -2.0,
  },
  { pattern: "hiring freeze", valence: -1.2 },

  // Solvency and capital returns.
  { pattern: "bankruptcy|bankruptcies", valence: -3.0 },
  { pattern: "chapter 11 bankruptcy|protection|filing", valence: -3.0 },
  { pattern: "chapter 11", valence: -3.0 },
  { pattern: "insolvency|insolvent", valence: -2.8 },
  { pattern: "default|defaults|defaulted|defaulting", valence: -2.2 },
  {
    pattern: "miss|misses|missed|skip|skips|skipped interest|bond|coupon|debt|loan payment|payments",
    valence: -2.2,
  },
  { pattern: "miss|misses|missed|skip|skips|skipped ... payment|payments|coupon|coupons", valence: -2.2 },
  { pattern: `${CUT}|reduce|reduces|reduced|pare|pares|pared ... debt|borrowings|leverage`, valence: 1.5 },
  { pattern: "buyback|buybacks|buy-back|buy-backs|repurchase|repurchases", valence: 1.5 },
  { pattern: `${DIVIDEND} cut|cuts|reduction|suspension`, valence: -2.2 },
  {
    pattern: `${CUT}|suspend|suspends|suspended|eliminate|eliminates|omit|omits ... ${DIVIDEND}`,
    valence: -2.2,
  },
  { pattern: `${DIVIDEND} hike|hikes|increase|increases|boost|raise`, valence: 1.8 },
  { pattern: `${RAISE}|increase|increases|increased ... ${DIVIDEND}`, valence: 1.8 },
  { pattern: "special dividend", valence: 1.5 },
  { pattern: "dilution|dilutive", valence: -1.2 },
  { pattern: "accretive", valence: 1.0 },

  // Approvals, delays and refusals.
  { pattern: "approve", valence: 1.8 }, // VADER rates "approves" and "approved" but not "approve"
  { pattern: "fast-track|fast-tracked", valence: 1.5 },
  { pattern: "delay|delays|delayed|delaying|postpone|postpones|postponed", valence: -1.3 },
  { pattern: "refuse|refuses|refused", valence: -1.5 },
  { pattern: "vote|votes|voted against", valence: -1.5 },

  // Products and deals.
  { pattern: "sell|sells|sold out", valence: 2.0 },
  { pattern: "sellout|sell-out|fastest-selling|best-selling|bestseller|best-seller", valence: 1.8 },
  { pattern: "preorders|pre-orders", valence: 1.2 },
  { pattern: "rave", valence: 2.0 },
  { pattern: "pan|pans|panned", valence: -1.5 },
  { pattern: "clinch|clinches|clinched", valence: 1.5 },
  { pattern: "higher|sweetened ... offer|offers|bid|bids", valence: 1.5 },
  { pattern: "talks collapse|collapsed|fail|failed|end|ended", valence: -1.5 },

  // Price moves and conditions.
  { pattern: "soar|soars|soared|soaring", valence: 2.5 },
  { pattern: "surge|surges|surged|surging", valence: 2.2 },
  { pattern: "rally|rallies|rallied|rallying", valence: 2.0 },
  { pattern: "jump|jumps|jumped|jumping", valence: 1.5 },
  { pattern: "rebound|rebounds|rebounded|rebounding", valence: 1.5 },
  { pattern: "climb|climbs|climbed|climbing", valence: 1.2 },
  { pattern: "rise|rises|rose|rising", valence: 1.0 },
  { pattern: "plunge|plunges|plunged|plunging", valence: -2.5 },
  { pattern: "crash|crashes|crashed|crashing", valence: -2.5 },
  { pattern: "tumble|tumbles|tumbled|tumbling", valence: -2.2 },
  { pattern: "slump|slumps|slumped|slumping", valence: -2.2 },
  { pattern: "selloff|selloffs|sell-off|sell-offs|rout", valence: -2.0 },
  { pattern: "sink|sinks|sank|sinking", valence: -1.8 },
  { pattern: "slide|slides|slid|sliding", valence: -1.5 },
  { pattern: "drop|drops|dropped|dropping", valence: -1.2 },
  { pattern: "weigh|weighs|weighed|weighing on", valence: -1.2 },
  { pattern: "fall|falls|fell|falling", valence: -1.0 },
  { pattern: "decline|declines|declined|declining", valence: -1.0 },
  { pattern: "slip|slips|slipped|slipping", valence: -1.0 },
  { pattern: "downturn|downturns", valence: -1.5 },
  { pattern: "shortfall|shortfalls", valence: -1.5 },
  { pattern: "headwind|headwinds", valence: -1.0 },
  { pattern: "tailwind|tailwinds", valence: 1.0 },

  // Neutral in finance news, though VADER's everyday lexicon rates them.
  { pattern: "share|shares", valence: 0 }, // a unit of stock, not "sharing" (VADER +1.2)
  { pattern: "gross", valence: 0 }, // gross margin, not "disgusting" (VADER -2.1)
  { pattern: "crude", valence: 0 }, // crude oil (VADER -2.7)
  { pattern: "securities", valence: 0 }, // VADER +1.2
  { pattern: "demand", valence: 0 }, // consumer demand (VADER -0.5)
  { pattern: "interest rate|rates", valence: 0 }, // VADER rates "interest" +2.0
  { pattern: "credit", valence: 0 }, // credit facility, credit rating (VADER +1.6)
  { pattern: "stable outlook", valence: 0 }, // a rating agency's routine view (VADER rates "stable" +1.2)
  { pattern: "outlook stable", valence: 0 },
  { pattern: "agree|agrees|agreed", valence: 0 }, // "agrees to buy" is a step, not approval (VADER +0.8 to +1.5)
  { pattern: "energy", valence: 0 }, // a sector and company names (VADER +1.1)
  { pattern: "free cash flow", valence: 0 }, // VADER rates "free" +2.3
  { pattern: "cancer", valence: 0 }, // a therapy area in drug news (VADER -3.4)
  { pattern: "united", valence: 0 }, // company names (VADER +1.8)
];
