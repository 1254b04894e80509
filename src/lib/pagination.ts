export interface PageQuery {
  page: number;
  limit: number;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  pages: number;
}

/** The query methods a page needs (a mongoose Query has them, each returning the query). */
interface PageableQuery<Q> {
  sort(order: Record<string, 1 | -1>): Q;
  skip(count: number): Q;
  limit(count: number): Q;
}

/** The requested page of a list, newest first (`_id` breaks ties, so pages never overlap). */
export function newestFirstPage<Q extends PageableQuery<Q>>(query: Q, page: PageQuery): Q {
  return query
    .sort({ createdAt: -1, _id: -1 })
    .skip((page.page - 1) * page.limit)
    .limit(page.limit);
}

/** The `pagination` block of a list response. */
export function pagination(page: PageQuery, total: number): Pagination {
  return { page: page.page, limit: page.limit, total, pages: Math.ceil(total / page.limit) };
}

/** The same, plus whether rows follow this page (`shown`: the rows on it). */
export function paginationWithMore(
  page: PageQuery,
  total: number,
  shown: number,
): Pagination & { hasMore: boolean } {
  return { ...pagination(page, total), hasMore: (page.page - 1) * page.limit + shown < total };
}
