// A small program that uses the AWS SDK for JavaScript v3 against the endpoints in its environment
// (AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_ECR_PUBLIC); prints one JSON report for the test to check.
import {
  ECRClient, CreateRepositoryCommand, DescribeRepositoriesCommand, PutImageCommand,
  ListImagesCommand, GetAuthorizationTokenCommand, paginateDescribeRepositories,
} from "@aws-sdk/client-ecr";
import { ECRPUBLICClient, CreateRepositoryCommand as CreatePublicRepositoryCommand,
  DescribeRepositoriesCommand as DescribePublicRepositoriesCommand } from "@aws-sdk/client-ecr-public";

const ecr = new ECRClient({});
const report = {};
for (const name of ["node/one", "node/two", "node/three"]) {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: name, tags: [{ Key: "sdk", Value: "node" }] }));
}
const pages = [];
for await (const page of paginateDescribeRepositories({ client: ecr, pageSize: 2 }, {})) {
  pages.push(page.repositories.map((r) => r.repositoryName));
}
report.pages = pages;
const manifest = JSON.stringify({
  schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json",
    digest: "sha256:" + "a".repeat(64), size: 2 },
  layers: [],
});
const pushed = await ecr.send(new PutImageCommand({ repositoryName: "node/one", imageTag: "v1", imageManifest: manifest }));
report.pushedDigest = pushed.image.imageId.imageDigest;
report.listed = (await ecr.send(new ListImagesCommand({ repositoryName: "node/one" }))).imageIds;
try {
  await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["node/missing"] }));
  report.error = null;
} catch (err) {
  report.error = { name: err.name, message: err.message, status: err.$metadata.httpStatusCode };
}
const token = await ecr.send(new GetAuthorizationTokenCommand({}));
report.proxyEndpoint = token.authorizationData[0].proxyEndpoint;
report.tokenUser = Buffer.from(token.authorizationData[0].authorizationToken, "base64").toString().split(":")[0];
const ecrPublic = new ECRPUBLICClient({ region: "us-east-1" });
await ecrPublic.send(new CreatePublicRepositoryCommand({ repositoryName: "node-public" }));
report.publicRepositories = (await ecrPublic.send(new DescribePublicRepositoriesCommand({}))).repositories
  .map((r) => r.repositoryName);
console.log(JSON.stringify(report));
