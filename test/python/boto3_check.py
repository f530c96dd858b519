"""A workflow through boto3 against `personalize-local start` (its URL in argv[1]), printing one JSON object
of what Python users see: the types botocore hands out, the region of ARNs, statuses, and big bodies."""
import json
import sys
import time

import boto3
from botocore.config import Config

url, data_dir = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, aws_access_key_id='local', aws_secret_access_key='local')
p = boto3.client('personalize', region_name='eu-west-1', **kw)
runtime = boto3.client('personalize-runtime', region_name='eu-west-1', **kw)
out = {}


def settled(describe, key, **arn):
    while True:
        r = describe(**arn)[key]
        if r['status'] not in ('CREATE PENDING', 'CREATE IN_PROGRESS'):
            return r
        time.sleep(0.05)


schema = json.dumps({'type': 'record', 'name': 'Interactions', 'namespace': 'com.amazonaws.personalize.schema', 'version': '1.0', 'fields': [
    {'name': 'USER_ID', 'type': 'string'}, {'name': 'ITEM_ID', 'type': 'string'}, {'name': 'TIMESTAMP', 'type': 'long'}, {'name': 'EVENT_TYPE', 'type': 'string'}]})
schema_arn = p.create_schema(name='i', schema=schema)['schemaArn']
group = p.create_dataset_group(name='shop')['datasetGroupArn']
out['groupArn'] = group
dataset = p.create_dataset(name='i', schemaArn=schema_arn, datasetGroupArn=group, datasetType='Interactions')['datasetArn']
job = p.create_dataset_import_job(jobName='i', datasetArn=dataset, dataSource={'dataLocation': data_dir + '/i.csv'}, roleArn='arn:aws:iam::000000000000:role/r')
out['import'] = settled(p.describe_dataset_import_job, 'datasetImportJob', datasetImportJobArn=job['datasetImportJobArn'])['status']
solution = p.create_solution(name='pop', datasetGroupArn=group, recipeArn='arn:aws:personalize:::recipe/aws-popularity-count',
                             solutionConfig={'eventsConfig': {'eventParametersList': [{'eventType': 'click', 'weight': 1.0}]}})['solutionArn']
weight = p.describe_solution(solutionArn=solution)['solution']['solutionConfig']['eventsConfig']['eventParametersList'][0]['weight']
out['weightType'] = type(weight).__name__
version = p.create_solution_version(solutionArn=solution)['solutionVersionArn']
out['version'] = settled(p.describe_solution_version, 'solutionVersion', solutionVersionArn=version)['status']
out['versions'] = len(p.list_solution_versions(solutionArn=solution)['solutionVersions'])
metrics = p.get_solution_metrics(solutionVersionArn=version)['metrics']
out['metricTypes'] = sorted({type(v).__name__ for v in metrics.values()})
campaign = p.create_campaign(name='c', solutionVersionArn=version)['campaignArn']
out['items'] = len(runtime.get_recommendations(campaignArn=campaign, userId='user-1', numResults=3)['itemList'])
try:
    p.describe_campaign(campaignArn=campaign.replace('eu-west-1', 'us-east-1'))
    out['otherRegion'] = 'found'
except p.exceptions.ResourceNotFoundException as e:
    out['otherRegion'] = ['ResourceNotFoundException', e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    p.create_dataset_group(name='shop')
except p.exceptions.ResourceAlreadyExistsException as e:
    out['alreadyExists'] = e.response['ResponseMetadata']['HTTPStatusCode']
try:
    runtime.get_recommendations(campaignArn=campaign + 'x', userId='u')
except runtime.exceptions.ResourceNotFoundException as e:
    out['runtimeNotFound'] = e.response['ResponseMetadata']['HTTPStatusCode']
once = boto3.client('personalize', region_name='eu-west-1', config=Config(retries={'max_attempts': 1}), **kw)
try:
    once.create_schema(name='big', schema='a' * 20_000_000)
except Exception as e:  # a typed error, not a connection error
    out['bigBody'] = type(e).__name__
print(json.dumps(out))
