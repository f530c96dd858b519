// The in-process client takes the official SDK's Command objects: code written for the SDK swaps only the client.
import { afterAll, describe, expect, it } from 'vitest';
import { CreateDatasetGroupCommand, DescribeDatasetGroupCommand, ListRecipesCommand } from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { LocalPersonalize } from '../src/index.js';

const p = new LocalPersonalize({ inMemory: true });
afterAll(() => p.close());

describe('send(command)', () => {
  it('runs control-plane commands and returns SDK-shaped output', async () => {
    const out = await p.send(new CreateDatasetGroupCommand({ name: 'from-sdk', tags: [{ tagKey: 'team', tagValue: 'recs' }] }));
    expect(out.datasetGroupArn).toBe('arn:aws:personalize:us-east-1:000000000000:dataset-group/from-sdk');
    expect(out.$metadata.httpStatusCode).toBe(200);
    const { datasetGroup } = await p.send(new DescribeDatasetGroupCommand({ datasetGroupArn: out.datasetGroupArn }));
    expect(datasetGroup).toMatchObject({ name: 'from-sdk', status: 'ACTIVE' });
    expect(datasetGroup.creationDateTime).toBeInstanceOf(Date);
    expect((await p.listTagsForResource({ resourceArn: out.datasetGroupArn })).tags).toEqual([{ tagKey: 'team', tagValue: 'recs' }]);
  });

  it('throws errors with the AWS exception name and status', async () => {
    await expect(p.send(new GetRecommendationsCommand({ campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/nope', userId: 'u' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(p.send(new CreateDatasetGroupCommand({} as never))).rejects.toMatchObject({ name: 'InvalidInputException', message: 'name is required.' });
  });

  it('lists the whole recipe catalogue across pages', async () => {
    const first = await p.send(new ListRecipesCommand({ maxResults: 10 }));
    expect(first.recipes).toHaveLength(10);
    expect(first.nextToken).toBeTruthy();
    // Follow nextToken as the SDK's paginators do (they need a real PersonalizeClient: see the HTTP tests).
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await p.send(new ListRecipesCommand({ maxResults: 7, nextToken }));
      names.push(...page.recipes.map((r: { name: string }) => r.name));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toContain('aws-user-personalization-v2');
    expect(names).toContain('aws-vod-top-picks');
    expect(new Set(names).size).toBe(names.length);
  });

  it('rejects objects that are not SDK commands', async () => {
    await expect(p.send({ input: {} } as never)).rejects.toMatchObject({ name: 'InvalidInputException' });
  });
});
