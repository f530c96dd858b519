// The HTTP bench's load sent the way this project's users send it: the official JS SDK v3 runtime client
// (SigV4-signed with static credentials, as the tests use, no retries), in the bench's child process.
import { GetRecommendationsCommand, PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { timed, type Load, type Measured } from './http-client.js';

/** The bare server answers any path: it gets the same command with a campaign ARN that is never looked up. */
const BARE_ARN = 'arn:aws:personalize:us-east-1:000000000000:campaign/bare';

export async function measureSdk(load: Load): Promise<Measured> {
  const client = new PersonalizeRuntimeClient({
    endpoint: `http://127.0.0.1:${load.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const campaignArn = load.campaignArn ?? BARE_ARN;
  const users = load.users ?? 1;
  try {
    return await timed(load.connections, load.seconds, async (n) => {
      await client.send(new GetRecommendationsCommand({ campaignArn, userId: `u${n % users}`, numResults: 25 }));
    });
  } finally {
    client.destroy();
  }
}
