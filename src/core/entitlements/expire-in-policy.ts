import type { PolicyDocument, PolicyStatement } from '../model.js';

/**
 * The document with every Allow statement ending at `expires` (`DateLessThan aws:CurrentTime`), so AWS
 * itself refuses the access once the grant has ended, even if no expire run happens. Deny statements are
 * left as they are: ending a Deny would widen access. A statement that already ends earlier keeps its end.
 */
export function expireInPolicy(document: PolicyDocument, expires: string): PolicyDocument {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return { ...document, Statement: statements.map((s) => (s.Effect === 'Allow' ? endAt(s, expires) : s)) };
}

function endAt(statement: PolicyStatement, expires: string): PolicyStatement {
  const before = statement.Condition?.DateLessThan?.['aws:CurrentTime'];
  const earlier = typeof before === 'string' && Date.parse(before) < Date.parse(expires) ? before : expires;
  return { ...statement, Condition: { ...statement.Condition, DateLessThan: { ...statement.Condition?.DateLessThan, 'aws:CurrentTime': earlier } } };
}
