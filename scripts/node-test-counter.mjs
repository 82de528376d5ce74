// A node:test reporter that writes the count of passed and failed tests (suites not counted) as JSON.
export default async function* counter(source) {
  let passed = 0;
  let failed = 0;
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A suite that fails outside its tests (a hook) counts once.
      if (event.type === 'test:fail' && !isChildFailure(event.data.details.error)) {
        failed++;
        failures.push(event.data.name);
      }
      continue;
    }
    if (event.data.skip || event.data.todo) {
      failed++;
      failures.push(`${event.data.name} (skipped)`);
    } else if (event.type === 'test:pass') passed++;
    else {
      failed++;
      failures.push(event.data.name);
    }
  }
  yield `${JSON.stringify({ passed, failed, failures })}\n`;
}

function isChildFailure(error) {
  return error?.failureType === 'subtestsFailed' || error?.cause?.failureType === 'subtestsFailed';
}
