# The vsum CLI in a container: Node 20, ffmpeg, the built CLI and its runtime packages (onnxruntime-node, CPU).
#   docker build -t vsum .                      # CPU image (the default, last stage)
#   docker build --target cuda -t vsum:cuda .   # CUDA 12 + cuDNN 9 image for --ep cuda (needs network at build)
#   docker run --rm -v "$PWD/data:/data" vsum batch /data/videos --out /data/out
# Models and embeddings are cached in /cache (VSUM_CACHE); mount a volume there to keep them between runs.
# See docs/cluster.md for Kubernetes Indexed Jobs and Slurm arrays.

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN node esbuild.mjs --production

# Runtime packages only (onnxruntime-node, the ffmpeg installers, h5wasm) and the bundle.
FROM node:20-slim AS app
WORKDIR /opt/vsum
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY media/sample ./media/sample

# CUDA variant: NVIDIA's runtime image with Node copied in, and onnxruntime-node's CUDA provider libraries, which
# its installer downloads (the default install skips them, see .npmrc). Run with --ep cuda (or auto) on a GPU node.
FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04 AS cuda
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=node:20-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=app /opt/vsum /opt/vsum
RUN cd /opt/vsum/node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install \
  && ln -s /opt/vsum/dist/cli.js /usr/local/bin/vsum && chmod +x /opt/vsum/dist/cli.js
ENV VSUM_FFMPEG=/usr/bin/ffmpeg VSUM_FFPROBE=/usr/bin/ffprobe VSUM_CACHE=/cache
ENTRYPOINT ["vsum"]
CMD ["--help"]

# CPU image (default target).
FROM node:20-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=app /opt/vsum /opt/vsum
RUN ln -s /opt/vsum/dist/cli.js /usr/local/bin/vsum && chmod +x /opt/vsum/dist/cli.js
ENV VSUM_FFMPEG=/usr/bin/ffmpeg VSUM_FFPROBE=/usr/bin/ffprobe VSUM_CACHE=/cache
ENTRYPOINT ["vsum"]
CMD ["--help"]
