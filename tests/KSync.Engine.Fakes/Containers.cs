using KSync.Engine.Syncing;

namespace KSync.Engine.Fakes;

public static class Containers
{
    public static RemoteContainer Make(string pod, string id = "docker://1", string uid = "u1", string node = "node-a")
        => new(pod, "default", node, "main", id, 0, uid);
}
