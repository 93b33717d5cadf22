// The AWS side of the gateway, generated from docs/openapi.yaml (make gateway; checked by make
// check): a CloudFormation template with
//   - the REST API, its body the OpenAPI document of the routes the gateway exposes (/api/** and
//     the budget page /orcamentos/**), each operation an HTTP proxy integration through a VPC
//     link to the internal NLB of k8s/overlays/eks, 29 s timeout, path parameters mapped, and the
//     gateway key the server checks (GATEWAY_API_KEY) added by the gateway from a stage variable;
//   - the Lambda REQUEST authorizer (the oficina-authorizer package, provided.al2023) on every
//     operation that needs a token, its result cached per Authorization header for 300 s
//     (the authorizer's policy covers the stage for that reason);
//   - gateway responses in the API's problem format (401 with WWW-Authenticate, 403, 429, 504);
//   - the stage with throttling (rate and burst per second) and the VPC link.
// Usage: node scripts/apigateway.mjs > build/aws/oficina-gateway.json
//        node scripts/apigateway.mjs --check build/aws/oficina-gateway.json
//        node scripts/apigateway.mjs --body build/aws/oficina-gateway.json   (the API's OpenAPI)
//   --check validates a template offline: every resource type and property against
//   CloudFormation's resource specification (@aws-cdk/cfnspec), required properties present, and
//   every operation integrated within 29 s with its path parameters mapped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';

const require = createRequire(import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const INTEGRATION_TIMEOUT_MS = 29000;
const AUTHORIZER_TTL_S = 300;

const problem = (status, slug, title, detail) => ({
  statusCode: String(status),
  responseTemplates: {
    'application/problem+json': JSON.stringify({
      type: `https://oficina.dev/problemas/${slug}`, title, status, detail,
      correlation_id: '$context.requestId',
    }),
  },
});

// API Gateway imports OpenAPI 3.0, not 3.1: the document's 3.1 schemas written back the 3.0 way
// (type [X, "null"] -> type X + nullable; contentMediaType -> format binary).
function to30(node) {
  if (Array.isArray(node)) return node.map(to30);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = to30(v);
  if (Array.isArray(out.type) && out.type.includes('null')) {
    const rest = out.type.filter((t) => t !== 'null');
    out.type = rest.length === 1 ? rest[0] : rest;
    out.nullable = true;
  }
  if (out.contentMediaType) {
    delete out.contentMediaType;
    out.format = 'binary';
  }
  return out;
}

function gatewayBody() {
  const doc = to30(load(readFileSync('docs/openapi.yaml', 'utf8')));
  const body = {
    openapi: '3.0.3',
    info: { ...doc.info, description: 'Oficina API behind Amazon API Gateway (generated from docs/openapi.yaml by scripts/apigateway.mjs).' },
    servers: [{ url: '/', description: 'The stage\'s invoke URL.' }],
    paths: {},
    tags: doc.tags,
    components: {
      ...doc.components,
      securitySchemes: {
        bearerAuth: {
          type: 'apiKey', name: 'Authorization', in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            identitySource: 'method.request.header.Authorization',
            authorizerUri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Authorizer.Arn}/invocations' },
            authorizerResultTtlInSeconds: AUTHORIZER_TTL_S,
          },
        },
      },
    },
    'x-amazon-apigateway-gateway-responses': {
      UNAUTHORIZED: { ...problem(401, 'nao-autenticado', 'Não autenticado', 'token ausente, inválido ou expirado'),
        responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" } },
      ACCESS_DENIED: problem(403, 'acesso-negado', 'Acesso negado', 'acesso negado'),
      THROTTLED: { ...problem(429, 'muitas-requisicoes', 'Muitas requisições', 'limite de requisições excedido; tente novamente em instantes'),
        responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } },
      INTEGRATION_TIMEOUT: problem(504, 'tempo-esgotado', 'Tempo esgotado', 'o servidor não respondeu a tempo'),
    },
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/') && !path.startsWith('/orcamentos/')) continue;
    const out = {};
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const requestParameters = Object.fromEntries(pathParams.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]));
      requestParameters['integration.request.header.x-api-key'] = 'stageVariables.gatewayApiKey';
      const secured = (op.security ?? doc.security ?? []).some((req) => 'bearerAuth' in req);
      // The operation as documented (the gateway imports its parameters, bodies and
      // responses), the token check moved to the authorizer, the request sent on to the NLB.
      out[method] = {
        ...op,
        security: secured ? [{ bearerAuth: [] }] : [],
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: method.toUpperCase(),
          uri: { 'Fn::Sub': `http://\${NlbDnsName}${path}` },
          connectionType: 'VPC_LINK',
          connectionId: { Ref: 'VpcLink' },
          timeoutInMillis: INTEGRATION_TIMEOUT_MS,
          passthroughBehavior: 'when_no_match',
          requestParameters,
        },
      };
    }
    if (Object.keys(out).length) body.paths[path] = { ...(item.parameters ? { parameters: item.parameters } : {}), ...out };
  }
  return body;
}

function template() {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Oficina: API Gateway REST API, VPC link to the EKS NLB, Lambda authorizer (generated by scripts/apigateway.mjs; deploy/aws/README.md).',
    Parameters: {
      NlbArn: { Type: 'String', Description: 'ARN of the internal NLB of k8s/overlays/eks (Service oficina-nlb).' },
      NlbDnsName: { Type: 'String', Description: 'Its DNS name.' },
      AuthorizerCodeBucket: { Type: 'String', Description: 'S3 bucket holding oficina-authorizer.zip (make authorizer-package).' },
      AuthorizerCodeKey: { Type: 'String', Default: 'oficina-authorizer.zip' },
      SecretName: { Type: 'String', Default: 'oficina/production', Description: 'The Secrets Manager secret of k8s/overlays/eks (JSON with JWT_SECRET and GATEWAY_API_KEY).' },
      StageName: { Type: 'String', Default: 'prod' },
      ThrottlingRateLimit: { Type: 'Number', Default: 200, Description: 'Requests per second, steady, the whole stage.' },
      ThrottlingBurstLimit: { Type: 'Number', Default: 400 },
    },
    Resources: {
      VpcLink: { Type: 'AWS::ApiGateway::VpcLink', Properties: { Name: 'oficina', TargetArns: [{ Ref: 'NlbArn' }] } },
      AuthorizerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
        },
      },
      Authorizer: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Description: 'oficina-authorizer: the server\'s own JWT verification (one JSON log line per decision).',
          Runtime: 'provided.al2023',
          Handler: 'bootstrap',
          Architectures: ['x86_64'],
          MemorySize: 128,
          Timeout: 3,
          Role: { 'Fn::GetAtt': ['AuthorizerRole', 'Arn'] },
          Code: { S3Bucket: { Ref: 'AuthorizerCodeBucket' }, S3Key: { Ref: 'AuthorizerCodeKey' } },
          Environment: { Variables: {
            JWT_SECRET: { 'Fn::Sub': '{{resolve:secretsmanager:${SecretName}:SecretString:JWT_SECRET}}' },
            JWT_ISSUER: 'oficina', JWT_AUDIENCE: 'oficina-api',
          } },
        },
      },
      AuthorizerPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['Authorizer', 'Arn'] },
          Principal: 'apigateway.amazonaws.com',
          SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/*' },
        },
      },
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'oficina', EndpointConfiguration: { Types: ['REGIONAL'] }, Body: gatewayBody() },
      },
      Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
      Stage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          RestApiId: { Ref: 'Api' },
          DeploymentId: { Ref: 'Deployment' },
          StageName: { Ref: 'StageName' },
          // The server checks x-api-key (GATEWAY_API_KEY): only traffic through here carries it.
          Variables: { gatewayApiKey: { 'Fn::Sub': '{{resolve:secretsmanager:${SecretName}:SecretString:GATEWAY_API_KEY}}' } },
          MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: { Ref: 'ThrottlingRateLimit' },
            ThrottlingBurstLimit: { Ref: 'ThrottlingBurstLimit' }, MetricsEnabled: true }],
        },
      },
    },
    Outputs: {
      InvokeUrl: { Value: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/${StageName}' } },
    },
  };
}

// ---- --check ----------------------------------------------------------------------------------
function check(file) {
  const spec = require('@aws-cdk/cfnspec').specification();
  const t = JSON.parse(readFileSync(file, 'utf8'));
  const bad = [];
  for (const [name, res] of Object.entries(t.Resources ?? {})) {
    const type = spec.ResourceTypes[res.Type];
    if (!type) { bad.push(`${name}: unknown type ${res.Type}`); continue; }
    for (const p of Object.keys(res.Properties ?? {}))
      if (!type.Properties[p]) bad.push(`${name}: ${res.Type} has no property ${p}`);
    for (const [p, def] of Object.entries(type.Properties))
      if (def.Required && !(p in (res.Properties ?? {}))) bad.push(`${name}: ${res.Type} needs ${p}`);
    for (const ms of res.Type === 'AWS::ApiGateway::Stage' ? res.Properties.MethodSettings ?? [] : [])
      for (const p of Object.keys(ms))
        if (!spec.PropertyTypes['AWS::ApiGateway::Stage.MethodSetting'].Properties[p]) bad.push(`${name}: MethodSettings has no ${p}`);
  }
  const refs = JSON.stringify(t).matchAll(/"Ref":"(\w+)"/g);
  for (const [, r] of refs)
    if (!(r in (t.Resources ?? {})) && !(r in (t.Parameters ?? {})) && !r.startsWith('AWS::')) bad.push(`Ref to unknown ${r}`);
  const body = t.Resources?.Api?.Properties?.Body;
  let ops = 0;
  for (const [path, item] of Object.entries(body?.paths ?? {}))
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      ops++;
      const i = op['x-amazon-apigateway-integration'];
      if (!i) { bad.push(`${method.toUpperCase()} ${path}: no integration`); continue; }
      if (!(i.timeoutInMillis > 0 && i.timeoutInMillis <= INTEGRATION_TIMEOUT_MS)) bad.push(`${method} ${path}: timeout ${i.timeoutInMillis}`);
      for (const [, p] of path.matchAll(/\{(\w+)\}/g))
        if (i.requestParameters?.[`integration.request.path.${p}`] !== `method.request.path.${p}`) bad.push(`${method} ${path}: {${p}} not mapped`);
      if (i.connectionType !== 'VPC_LINK') bad.push(`${method} ${path}: not through the VPC link`);
    }
  if (ops === 0) bad.push('the API has no operation');
  if (bad.length) { console.log(bad.map((b) => `${file}: ${b}`).join('\n')); process.exit(1); }
  console.log(`check-gateway: ok (${Object.keys(t.Resources).length} resources, ${ops} operations through the VPC link)`);
}

if (process.argv[2] === '--check') check(process.argv[3]);
else if (process.argv[2] === '--body')
  process.stdout.write(JSON.stringify(JSON.parse(readFileSync(process.argv[3], 'utf8')).Resources.Api.Properties.Body, null, 1) + '\n');
else process.stdout.write(JSON.stringify(template(), null, 2) + '\n');
