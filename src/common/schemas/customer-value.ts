import { z } from 'zod';
import { DictCode } from './dictionaries.js';

/** A points ledger entry (CUS-18): positive grants, negative redemptions, and the balance after it. */
export interface PointsEntryDto {
  id: number;
  delta: number;
  balance: number;
  reason: string;
  createdByName: string | null;
  createdAt: string;
}

export interface PointsRankingDto {
  rank: number;
  id: number;
  name: string;
  code: string;
  points: number;
  ownerName: string | null;
}

const Score = z.number().int().min(3).max(15).nullable().default(null);
const Quintile = z.number().int().min(1).max(5).nullable().default(null);

/**
 * A rule setting a customer's level from its RFM scores (CUS-19): the total
 * within [minScore, maxScore] and R, F, M at least their minimums; an empty
 * condition always holds. The first enabled rule by priority that holds wins.
 */
export const LevelRuleInput = z
  .object({
    levelCode: DictCode,
    minScore: Score,
    maxScore: Score,
    minR: Quintile,
    minF: Quintile,
    minM: Quintile,
    priority: z.number().int().min(0).max(1000).default(0),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((r) => r.minScore === null || r.maxScore === null || r.minScore <= r.maxScore, { error: 'scoreRange', path: ['maxScore'] });
export type LevelRuleInput = z.input<typeof LevelRuleInput>;

export interface LevelRuleDto {
  id: number;
  levelCode: string;
  minScore: number | null;
  maxScore: number | null;
  minR: number | null;
  minF: number | null;
  minM: number | null;
  priority: number;
  enabled: boolean;
}
