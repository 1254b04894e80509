/**
 * The package's public entry: start the stand-in as a child process and get its URI. Callers
 * only ever talk to it through that URI, like to any other MongoDB server.
 */
export { startMongoStandin, type MongoStandin, type MongoStandinOptions } from './launch';
