import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { type AtomDecision, unverified } from './decision.js';
import { decideNumber, decideInequality, decidePlusMinus } from './decideNumber.js';
import { decideList, decideRange } from './decideSeries.js';
import { decideFamily, decideMention, decideName, decideVariant } from './decideNames.js';
import { decideConfusion } from './decideConfusion.js';
import { decidePrecision } from './decidePrecision.js';
import { decideIdentifiers } from './decideIdentifiers.js';
import { decideLicense, decideVersion } from './decidePackages.js';

/** What the verifier knows about the card as a whole. */
export interface CardContext {
  /** Config file stems the card names as words ("base" in "the base configuration"). */
  namedConfigs: Set<string>;
  /**
   * Flags the card's own example commands set (`python train.py --block_size=64`): a claim they
   * agree with describes that invocation, so the code's default does not contradict it.
   */
  commandFacts: FactIndex;
}

export function decideAtom(claim: Claim, index: FactIndex, card: CardContext): AtomDecision {
  const v = claim.value;
  switch (v.type) {
    case 'number': return decideNumber(claim, v.number, index, card);
    case 'inequality': return decideInequality(claim, v.op, v.bound, index, card);
    case 'plusminus': return decidePlusMinus(claim, v.mean, v.err, index, card);
    case 'range': return decideRange(claim, v.lo, v.hi, index);
    case 'list': return decideList(claim, v.items, index, card);
    case 'version': return decideVersion(claim, v.pkg, v.version, index);
    case 'license': return decideLicense(v.license, index);
    case 'name': return v.precision ? decidePrecision(claim, v.precision, v.name, index) : v.variant ? decideVariant(claim, v.name, v.variant, index) : v.family ? decideFamily(claim, v.family, index) : decideName(claim, v.name, index);
    case 'identifiers': return decideIdentifiers(claim, v.ids, v.action, index);
    case 'mention': return decideConfusion(claim, index) ?? decideMention(claim, index);
  }
}

export function relatedOnly(facts: IndexedFact[], why: string): AtomDecision {
  return unverified(why, facts);
}
