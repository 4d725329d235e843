import type { PolicyDocument } from './policy.schema';

/** The reference policy of policy.md (石狮市), shipped as the default version. */
export const REFERENCE_POLICY: PolicyDocument = {
  version: 'shishi-2026.1',
  name: '石狮市公租房租后资格复核参考政策',
  regionCode: '350581',
  effectiveFrom: '2020-01-01',
  parameters: {
    housingAreaPerCapita: 15,
    incomePerCapita: 48000,
    incomeMonths: 12,
    economicCheckIncomeYears: 1,
    financialAssets: 150000,
    economicCheckAssetsYears: 2,
    vehiclePrice: 100000,
    businessCapital: 100000,
    adultAge: 18,
    hukouExemptCategories: ['new_employee', 'migrant_worker'],
    sublet: {
      residencePoints: 50,
      residenceMaxPoints: 60,
      workPoints: 30,
      workMonths: 6,
      workWindowMonths: 12,
      electricityPoints: 20,
      electricityPerCapita: 300,
      electricityWindowMonths: 6,
      highScore: 60,
      mediumScore: 30,
      inspectionDays: 15,
    },
    vacant: { months: 6, electricityBelow: 10, waterBelow: 1 },
    arrearsMonths: 6,
    exit: { eligibilityDeadlineDays: 90, violationDeadlineDays: 30, contestWindowDays: 15 },
  },
  categoryOverrides: {},
};
