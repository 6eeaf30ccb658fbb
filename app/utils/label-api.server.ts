import { campaignStatus, type Campaign } from "../models/label-campaigns.server";

/** The label's public API shapes: these field names are a public contract. */
export function apiCampaign(campaign: Campaign) {
  return {
    year: campaign.year,
    opensAt: campaign.opensAt.toISOString(),
    registrationDeadline: campaign.registrationDeadline.toISOString(),
    submissionDeadline: campaign.submissionDeadline.toISOString(),
    publishedAt: campaign.publishedAt.toISOString(),
    status: campaignStatus(campaign),
  };
}

export function apiResult(result: {
  code: string;
  name: string;
  year: number;
  level: number;
  mentions: string[];
}) {
  return {
    collectivity: { code: result.code, name: result.name },
    year: result.year,
    level: result.level,
    mentions: result.mentions,
  };
}

/** Open data of the label: Licence Ouverte / Etalab 2.0. */
export const openDataHeaders = {
  Link: '<https://www.etalab.gouv.fr/licence-ouverte-open-licence>; rel="license"',
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=60",
};
