// Worker-thread entry of the evaluation pool: runs one job, reporting its stages on the task's port.
import type { MessagePort } from 'node:worker_threads';
import { runJob, type JobSpec } from './job.js';

export default function evaluateJob(task: { spec: JobSpec; port: MessagePort }) {
  try {
    return runJob(task.spec, (stage, fraction) => task.port.postMessage({ stage, fraction }));
  } finally {
    task.port.close();
  }
}
