// Worker-thread entry of the training pool: runs one TrainJob and moves the model bytes back.
import { Piscina } from 'piscina';
import { prepareServedModelThread, runTrainJob, type TrainJob } from './train-job.js';

export default async function train(job: TrainJob): Promise<unknown> {
  const bytes = await runTrainJob(job);
  return Piscina.move(bytes);
}

/**
 * TrainingPool.warm()'s task: starting the thread and loading this module is the point; for a job that will train
 * its served model beside the metrics model, that model's thread is started too (train-job.ts).
 */
export function warm(ahead: { servedModelThread?: boolean } | null): null {
  if (ahead?.servedModelThread) prepareServedModelThread();
  return null;
}
