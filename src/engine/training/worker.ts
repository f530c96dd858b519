// Worker-thread entry of the training pool: runs one TrainJob and moves the model bytes back.
import { Piscina } from 'piscina';
import { runTrainJob, type TrainJob } from './train-job.js';

export default async function train(job: TrainJob): Promise<unknown> {
  const bytes = await runTrainJob(job);
  return Piscina.move(bytes);
}

/** TrainingPool.warm()'s task: nothing; starting the thread and loading this module is the point. */
export function warm(): null {
  return null;
}
