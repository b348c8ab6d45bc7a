import ExcelJS from 'exceljs';
import type { RouteOutput } from '@nuanxin/shared';
import type { rewardsRoutes } from '@nuanxin/shared';

type Settlement = RouteOutput<typeof rewardsRoutes.settlement>;

/** One sheet: every fulfilled voucher of the period, then the totals a partner settles on. */
export async function settlementWorkbook(report: Settlement): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('核销结算');
  sheet.columns = [
    { header: '核销时间', key: 'fulfilledAt', width: 20 },
    { header: '商家', key: 'partnerName', width: 24 },
    { header: '兑换项目', key: 'rewardName', width: 20 },
    { header: '积分', key: 'points', width: 8 },
    { header: '券码', key: 'code', width: 12 },
    { header: '兑换人', key: 'workerName', width: 10 },
    { header: '核销人', key: 'fulfilledBy', width: 10 },
  ];
  for (const item of report.items) {
    sheet.addRow({ ...item, fulfilledAt: new Date(item.fulfilledAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) });
  }
  sheet.addRow({});
  sheet.addRow({ fulfilledAt: `合计（${report.from} 至 ${report.to}）`, rewardName: `${report.totalVouchers} 张`, points: report.totalPoints });
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
