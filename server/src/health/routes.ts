import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export async function healthRoutes(app: FastifyInstance) {
  // Touches the database, so a down database answers 503 (through the error handler) instead of a false "ok".
  app.get('/api/health', async () => {
    await sql`select 1`.execute(app.services.database.db);
    return { status: 'ok' };
  });
}
