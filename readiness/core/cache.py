"""Django's Redis cache, with one client per connection pool instead of one per call.

Django builds a new `redis.Redis` client for every cache operation; redis-py fills a
callbacks table of some 340 commands each time a client is built, which costs more CPU than
the round trip itself. A client is safe to share between threads (it takes a connection from
its pool per command), so each pool gets one, built once.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
