// Fault injection at an instance create: the first active matching rule of faults.json is counted in
// the store (so `times` holds across plugin processes), then its delay is served (cancellable) and its
// error thrown with the cloud's text.
import { setTimeout as sleep } from "node:timers/promises";
import { decideFault, loadFaults, ruleKey, worldOf } from "./faults.js";
import { uuidOf } from "./hash.js";
import { CloudError, type CloudModel, type FaultSubject } from "./kind.js";
import type { Store } from "./store.js";

export async function injectFault<C>(
  model: CloudModel<C>,
  store: Store,
  subject: FaultSubject,
  urn: string,
  signal: AbortSignal,
): Promise<void> {
  const rules = loadFaults(store.dir, (cloud, error) =>
    cloud === model.cloud ? model.faultCodes(error) : [],
  );
  const decided = store.transact((data) => {
    const decision = decideFault(rules, subject, data.meta.faultAttempts, worldOf(store.dir));
    if (decision === null) return null;
    const key = ruleKey(decision.rule, decision.index);
    return { ...decision, requestId: uuidOf(`${key}#${data.meta.faultAttempts[key]}#${urn}`) };
  });
  if (decided === null) return;
  const { rule, requestId } = decided;
  if (rule.delay_ms !== undefined && rule.delay_ms > 0) {
    try {
      await sleep(rule.delay_ms, undefined, { signal });
    } catch {
      throw new CloudError(
        `fake-cloud (${model.pkg}): create of ${subject.path} cancelled: context canceled`,
      );
    }
  }
  if (rule.error !== undefined)
    throw new CloudError(model.faultMessage(subject, rule.error, rule.code, requestId));
}
